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

{{ customer_segmentation.segment_distances('features', segment_features, segment_ids) }},

nearest_segments as (

    select
        customer_id,
        case
            {%- for segment_id in segment_ids %}
            when squared_distance_{{ segment_id }} = nearest_squared_distance then {{ segment_id }}
            {%- endfor %}
        end as segment_id
    from segment_nearest

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
