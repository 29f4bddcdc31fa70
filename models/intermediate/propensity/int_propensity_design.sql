{{ config(materialized='table', enabled=customer_segmentation.propensity_is_enabled()) }}
{#- One row per customer: the registered propensity model's columns as it reads them
    (ml_propensity_model), from int_propensity_features. A numeric feature as it is; a
    categorical one as its level code (a level the model did not learn reads as
    'other' when that is a level, else as missing); the segment one-hot columns from
    the customer's nearest segment of the active segmentation model on these features
    (the standardized Euclidean rule customer_segments uses; ties to the lower id). -#}
{%- set columns = customer_segmentation.propensity_model_rows('column', ['feature_name', 'feature_group', 'is_categorical']) -%}
{%- set levels = customer_segmentation.propensity_model_rows('level', ['feature_name', 'level', 'level_code'], ['level_code']) -%}
{%- set segment_features = customer_segmentation.model_features() -%}
{%- set segment_ids = customer_segmentation.model_segment_ids() %}

with features as (

    select * from {{ ref('int_propensity_features') }}

),

params as (

    select * from {{ ref('ml_segment_preprocessing') }}
    where not is_dropped

),

centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

wide_params as (

    -- one row: each segmentation feature's impute value, transform, mean and std dev
    select
        {%- for feature in segment_features %}
        max(case when feature_name = '{{ feature }}' then impute_value end) as {{ feature }}__impute_value,
        max(case when feature_name = '{{ feature }}' then transform end) as {{ feature }}__transform,
        max(case when feature_name = '{{ feature }}' then mean end) as {{ feature }}__mean,
        max(case when feature_name = '{{ feature }}' then std_dev end) as {{ feature }}__std_dev,
        {%- endfor %}
        count(*) as feature_count
    from params

),

wide_centroids as (

    select
        {%- for segment_id in segment_ids %}
        {%- for feature in segment_features %}
        max(case when segment_id = {{ segment_id }} and feature_name = '{{ feature }}' then centroid_scaled end)
            as segment_{{ segment_id }}__{{ feature }},
        {%- endfor %}
        {%- endfor %}
        count(*) as centroid_values
    from centroids

),

scaled as (

    select
        features.customer_id,
        {%- for feature in segment_features %}
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

squared_distances as (

    select
        scaled.customer_id,
        {%- for segment_id in segment_ids %}
        {%- for feature in segment_features %}
        {% if not loop.first %}+ {% endif -%}
        (scaled.{{ feature }} - wide_centroids.segment_{{ segment_id }}__{{ feature }})
        * (scaled.{{ feature }} - wide_centroids.segment_{{ segment_id }}__{{ feature }})
        {%- endfor %} as squared_distance_{{ segment_id }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from scaled
    cross join wide_centroids

),

nearest_distances as (

    select
        *,
        least(
            {%- for segment_id in segment_ids %}
            squared_distance_{{ segment_id }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as nearest_squared_distance
    from squared_distances

),

nearest_segments as (

    select
        customer_id,
        case
            {%- for segment_id in segment_ids %}
            when squared_distance_{{ segment_id }} = nearest_squared_distance then {{ segment_id }}
            {%- endfor %}
        end as segment_id
    from nearest_distances

),

final as (

    select
        features.customer_id,
        features.is_training,
        features.has_responded
        {%- for column in columns %},
        {%- if column.feature_group == 'segment_id' %}
        cast(case when nearest_segments.segment_id = {{ column.feature_name[8:] | int }} then 1 else 0 end
            as {{ customer_segmentation.type_double() }})
        {%- elif column.is_categorical %}
        {%- set known = levels | selectattr('feature_name', 'equalto', column.feature_name) | selectattr('level', 'ne', none) | list %}
        {%- set other = known | selectattr('level', 'equalto', 'other') | list %}
        case
            when features.{{ column.feature_name }} is null then null
            else case features.{{ column.feature_name }}
                {%- for level in known %}
                when '{{ level.level | replace("'", "''") }}' then {{ customer_segmentation.double_literal(level.level_code) }}
                {%- endfor %}
                {%- if other %}
                else {{ customer_segmentation.double_literal(other[0].level_code) }}
                {%- endif %}
            end
        end
        {%- else %}
        cast(features.{{ column.feature_name }} as {{ customer_segmentation.type_double() }})
        {%- endif %} as {{ column.feature_name }}
        {%- endfor %}
    from features
    inner join nearest_segments
        on features.customer_id = nearest_segments.customer_id

)

select * from final
