with centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

loadings as (

    select * from {{ ref('ml_segment_pca') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

centroid_positions as (

    -- the centroids on the 2-D map, as the customers: sum of (scaled - center) * loading
    select
        centroids.segment_id,
        sum(case when loadings.component = 1 then (centroids.centroid_scaled - loadings.center) * loadings.loading end)
            as centroid_pca_x,
        sum(case when loadings.component = 2 then (centroids.centroid_scaled - loadings.center) * loadings.loading end)
            as centroid_pca_y
    from centroids
    inner join loadings
        on centroids.feature_name = loadings.feature_name
    group by centroids.segment_id

),

final as (

    select
        centroids.segment_id,
        names.segment_name,
        centroids.feature_name,
        centroids.feature_position,
        centroids.centroid_scaled,
        centroids.centroid_value,
        loading_x.loading as loading_x,
        loading_y.loading as loading_y,
        centroid_positions.centroid_pca_x,
        centroid_positions.centroid_pca_y
    from centroids
    inner join names
        on centroids.segment_id = names.segment_id
    left join centroid_positions
        on centroids.segment_id = centroid_positions.segment_id
    left join loadings as loading_x
        on centroids.feature_name = loading_x.feature_name
        and loading_x.component = 1
    left join loadings as loading_y
        on centroids.feature_name = loading_y.feature_name
        and loading_y.component = 2

)

select * from final
