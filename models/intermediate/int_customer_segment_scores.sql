{#- Nearest-centroid scoring and the 2-D map position in SQL, from the fitted parameter,
    centroid and PCA loading tables, so any customer can be scored without refitting
    and on any warehouse. The feature list is read from the preprocessing table at
    compile time. -#}
{%- set features = [] -%}
{%- if execute -%}
    {%- set kept = run_query(
        'select feature_name from ' ~ ref('ml_segment_preprocessing')
        ~ ' where not is_dropped order by feature_position'
    ) -%}
    {%- for row in kept.rows -%}
        {%- do features.append(row[0]) -%}
    {%- endfor -%}
{%- endif -%}

with features as (

    select * from {{ ref('int_customer_features') }}

),

params as (

    select * from {{ ref('ml_segment_preprocessing') }}
    where not is_dropped

),

centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

loadings as (

    select * from {{ ref('ml_segment_pca') }}

),

feature_values as (

    -- one row per customer and feature (a portable unpivot)
    {%- for feature in features %}
    select
        customer_id,
        '{{ feature }}' as feature_name,
        cast({{ feature }} as {{ customer_segmentation.type_double() }}) as feature_value
    from features
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

scaled as (

    select
        feature_values.customer_id,
        feature_values.feature_name,
        {{ customer_segmentation.scaled_feature('feature_values.feature_value', 'params') }}
            as scaled_value
    from feature_values
    inner join params
        on feature_values.feature_name = params.feature_name

),

distances as (

    select
        scaled.customer_id,
        centroids.segment_id,
        sqrt(sum((scaled.scaled_value - centroids.centroid_scaled) * (scaled.scaled_value - centroids.centroid_scaled)))
            as distance
    from scaled
    inner join centroids
        on scaled.feature_name = centroids.feature_name
    group by scaled.customer_id, centroids.segment_id

),

ranked as (

    select
        customer_id,
        segment_id,
        distance,
        row_number() over (partition by customer_id order by distance, segment_id) as distance_rank
    from distances

),

projected as (

    -- PCA.transform: sum over features of (scaled value - center) * loading
    select
        scaled.customer_id,
        sum(case when loadings.component = 1 then (scaled.scaled_value - loadings.center) * loadings.loading end)
            as pca_x,
        sum(case when loadings.component = 2 then (scaled.scaled_value - loadings.center) * loadings.loading end)
            as pca_y
    from scaled
    inner join loadings
        on scaled.feature_name = loadings.feature_name
    group by scaled.customer_id

),

final as (

    select
        nearest.customer_id,
        nearest.segment_id,
        nearest.distance,
        second.segment_id as second_segment_id,
        second.distance as second_distance,
        -- 1 at the centroid, 0 on the border with the second-nearest segment
        1 - {{ customer_segmentation.safe_divide('nearest.distance', 'second.distance') }}
            as confidence,
        projected.pca_x,
        projected.pca_y
    from ranked as nearest
    left join ranked as second
        on nearest.customer_id = second.customer_id
        and second.distance_rank = 2
    left join projected
        on nearest.customer_id = projected.customer_id
    where nearest.distance_rank = 1

)

select * from final
