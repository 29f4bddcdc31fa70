{#- Nearest-centroid scoring and the 2-D map position in SQL, from the fitted parameter,
    centroid and PCA loading tables, so any customer can be scored without refitting
    and on any warehouse. Wide: the parameter, centroid and loading tables are pivoted
    to one column per feature (a few rows), so each customer is one row of arithmetic
    against k centroid rows instead of a customer x feature unpivot and join. The
    feature list comes from the preprocessing table (model_features). -#}
{%- set features = customer_segmentation.model_features() -%}

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

wide_params as (

    -- one row: each feature's impute value, transform, mean, std dev and map loadings
    select
        {%- for feature in features %}
        max(case when params.feature_name = '{{ feature }}' then params.impute_value end) as {{ feature }}__impute_value,
        max(case when params.feature_name = '{{ feature }}' then params.transform end) as {{ feature }}__transform,
        max(case when params.feature_name = '{{ feature }}' then params.mean end) as {{ feature }}__mean,
        max(case when params.feature_name = '{{ feature }}' then params.std_dev end) as {{ feature }}__std_dev,
        max(case when loadings.feature_name = '{{ feature }}' and loadings.component = 1 then loadings.center end)
            as {{ feature }}__center,
        max(case when loadings.feature_name = '{{ feature }}' and loadings.component = 1 then loadings.loading end)
            as {{ feature }}__loading_x,
        max(case when loadings.feature_name = '{{ feature }}' and loadings.component = 2 then loadings.loading end)
            as {{ feature }}__loading_y,
        {%- endfor %}
        count(distinct params.feature_name) as feature_count
    from params
    left join loadings
        on params.feature_name = loadings.feature_name

),

wide_centroids as (

    -- one row per segment, one column per feature
    select
        segment_id,
        {%- for feature in features %}
        max(case when feature_name = '{{ feature }}' then centroid_scaled end) as {{ feature }},
        {%- endfor %}
        count(*) as feature_count
    from centroids
    group by segment_id

),

scaled as (

    select
        features.customer_id,
        {%- for feature in features %}
        {{ customer_segmentation.standardized_value(
            'features.' ~ feature,
            'wide_params.' ~ feature ~ '__transform',
            'wide_params.' ~ feature ~ '__impute_value',
            'wide_params.' ~ feature ~ '__mean',
            'wide_params.' ~ feature ~ '__std_dev',
        ) }} as {{ feature }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from features
    cross join wide_params

),

mapped as (

    -- PCA.transform: sum over features of (scaled value - center) * loading
    select
        scaled.*,
        {%- for axis in ['x', 'y'] %}
        {%- for feature in features %}
        {% if not loop.first %}+ {% endif -%}
        (scaled.{{ feature }} - wide_params.{{ feature }}__center) * wide_params.{{ feature }}__loading_{{ axis }}
        {%- endfor %} as pca_{{ axis }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from scaled
    cross join wide_params

),

distances as (

    select
        mapped.customer_id,
        mapped.pca_x,
        mapped.pca_y,
        wide_centroids.segment_id,
        sqrt(
            {%- for feature in features %}
            {% if not loop.first %}+ {% endif -%}
            (mapped.{{ feature }} - wide_centroids.{{ feature }}) * (mapped.{{ feature }} - wide_centroids.{{ feature }})
            {%- endfor %}
        ) as distance
    from mapped
    cross join wide_centroids

),

ranked as (

    -- nearest first (ties to the lower id); the next row is the second-nearest
    select
        customer_id,
        segment_id,
        distance,
        pca_x,
        pca_y,
        row_number() over (partition by customer_id order by distance asc, segment_id asc) as distance_rank,
        lead(segment_id) over (partition by customer_id order by distance asc, segment_id asc)
            as second_segment_id,
        lead(distance) over (partition by customer_id order by distance asc, segment_id asc) as second_distance
    from distances

),

final as (

    select
        customer_id,
        segment_id,
        distance,
        second_segment_id,
        second_distance,
        -- 1 at the centroid, 0 on the border with the second-nearest segment
        1 - {{ customer_segmentation.safe_divide('distance', 'second_distance') }} as confidence,
        pca_x,
        pca_y
    from ranked
    where distance_rank = 1

)

select * from final
