with loadings as (

    select * from {{ ref('ml_segment_pca') }}

),

final as (

    select
        component,
        case when component = 1 then 'x' else 'y' end as map_axis,
        feature_name,
        feature_position,
        loading,
        center,
        explained_variance,
        explained_variance_ratio,
        fit_rows,
        is_sampled
    from loadings

)

select * from final
