{#
    The CTEs that score customers against the active segmentation model in SQL, for
    int_customer_segment_scores and int_propensity_design: each model feature
    standardized from ml_segment_preprocessing (standardized_value), then the squared
    Euclidean distance to every centroid of ml_segment_centroids, one column per
    segment, and the smallest of them. Wide: the parameter and centroid tables are
    pivoted to one row, so each customer is one row of arithmetic (no customer x segment
    rows). The last CTE, segment_nearest, has customer_id, the standardized features,
    squared_distance_<segment_id> and nearest_squared_distance.
    Arguments:
        features:       the CTE or relation with customer_id and the raw features.
        model_features: the model's features (model_features()).
        segment_ids:    its segment ids (model_segment_ids()).
#}
{% macro segment_distances(features, model_features, segment_ids) %}
    {{ return(adapter.dispatch('segment_distances', 'customer_segmentation')(features, model_features, segment_ids)) }}
{% endmacro %}

{% macro default__segment_distances(features, model_features, segment_ids) -%}
segment_parameters as (

    -- one row: each feature's impute value, transform, mean and std dev
    select
        {%- for feature in model_features %}
        max(case when feature_name = '{{ feature }}' then impute_value end) as {{ feature }}__impute_value,
        max(case when feature_name = '{{ feature }}' then transform end) as {{ feature }}__transform,
        max(case when feature_name = '{{ feature }}' then mean end) as {{ feature }}__mean,
        max(case when feature_name = '{{ feature }}' then std_dev end) as {{ feature }}__std_dev,
        {%- endfor %}
        count(*) as feature_count
    from {{ ref('ml_segment_preprocessing') }}
    where not is_dropped

),

segment_centroids_wide as (

    -- one row: each segment's centroid, one column per segment and feature
    select
        {%- for segment_id in segment_ids %}
        {%- for feature in model_features %}
        max(case when segment_id = {{ segment_id }} and feature_name = '{{ feature }}' then centroid_scaled end)
            as segment_{{ segment_id }}__{{ feature }},
        {%- endfor %}
        {%- endfor %}
        count(*) as centroid_values
    from {{ ref('ml_segment_centroids') }}

),

segment_scaled as (

    select
        scored.customer_id,
        {%- for feature in model_features %}
        {{ customer_segmentation.standardized_value(
            'scored.' ~ feature,
            'segment_parameters.' ~ feature ~ '__transform',
            'segment_parameters.' ~ feature ~ '__impute_value',
            'segment_parameters.' ~ feature ~ '__mean',
            'segment_parameters.' ~ feature ~ '__std_dev',
        ) }} as {{ feature }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ features }} as scored
    cross join segment_parameters

),

segment_squared_distances as (

    -- squared Euclidean distance to every centroid, one column per segment
    select
        segment_scaled.*,
        {%- for segment_id in segment_ids %}
        {%- set centroid = 'segment_centroids_wide.segment_' ~ segment_id ~ '__' %}
        {%- for feature in model_features %}
        {% if not loop.first %}+ {% endif -%}
        (segment_scaled.{{ feature }} - {{ centroid ~ feature }}) * (segment_scaled.{{ feature }} - {{ centroid ~ feature }})
        {%- endfor %} as squared_distance_{{ segment_id }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from segment_scaled
    cross join segment_centroids_wide

),

segment_nearest as (

    select
        *,
        least(
            {%- for segment_id in segment_ids %}
            squared_distance_{{ segment_id }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as nearest_squared_distance
    from segment_squared_distances

)
{%- endmacro %}
