{#- The registered propensity versions' model rows (ml_propensity_model): any version
    can be scored again or audited from them. Like every registry table, full_refresh
    is off and registry_rows appends a version's rows once. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    enabled=customer_segmentation.propensity_is_enabled(),
) }}

with model_rows as (

    select * from {{ ref('ml_propensity_model') }}

),

version_rows as (

    select
        {%- for column in [
            'part', 'served_model', 'logistic_weight', 'tree_baseline', 'intercept', 'log_odds_shift',
            'feature_name', 'feature_position', 'feature_group', 'is_categorical', 'reference_value',
            'training_median', 'training_missing_share', 'levels', 'reference_level', 'impute_value',
            'log1p', 'center', 'scale', 'coefficient', 'reference_scaled', 'level', 'level_code',
            'tree_index', 'node_id', 'is_leaf', 'node_value', 'threshold', 'left_levels',
            'right_levels', 'missing_go_to_left', 'left_child', 'right_child',
        ] %}
        model_rows.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from model_rows

),

final as (

    {{ customer_segmentation.registry_rows('version_rows', model_version=ref('int_propensity_model_version')) }}

)

select * from final
