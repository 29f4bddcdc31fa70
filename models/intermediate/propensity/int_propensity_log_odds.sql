{{ config(
    materialized='table',
    enabled=customer_segmentation.propensity_is_enabled(),
    pre_hook=customer_segmentation.large_expression_settings(),
    post_hook=customer_segmentation.large_expression_settings(reset=true),
) }}
{#- One row per customer: the registered propensity model applied in SQL, from the
    plain rows of ml_propensity_model (no Python). The trees' log-odds (their baseline
    plus each tree's leaf, propensity_tree_value, added in the trees' order), the
    logistic model's (its intercept plus each column's coefficient times its scaled
    value, logistic_scaled_value, or a categorical column's level coefficient,
    logistic_level_term), both with the prior correction, and the served blend of
    them. Why one case expression per tree written from the registered rows, and not a
    converter: docs/propensity.md "Scoring in SQL". -#}
{%- set numbers = ['logistic_weight', 'tree_baseline', 'intercept', 'log_odds_shift'] -%}
{%- set constants = customer_segmentation.propensity_model_rows('constant', ['served_model'] + numbers, numbers) -%}
{%- set column_numbers = ['impute_value', 'center', 'scale', 'coefficient'] -%}
{%- set columns = customer_segmentation.propensity_model_rows(
    'column', ['feature_name', 'feature_position', 'is_categorical', 'log1p'] + column_numbers, column_numbers
) -%}
{%- set levels = customer_segmentation.propensity_model_rows(
    'level', ['feature_name', 'level_code', 'coefficient'], ['level_code', 'coefficient']
) -%}
{%- set node_numbers = ['node_value', 'threshold'] -%}
{%- set nodes = customer_segmentation.propensity_model_rows('tree_node', [
    'tree_index', 'node_id', 'is_leaf', 'feature_name', 'left_levels', 'right_levels',
    'missing_go_to_left', 'left_child', 'right_child'
] + node_numbers, node_numbers) -%}
{#- while dbt parses nothing is read: any constants will do -#}
{%- set constant = constants[0] if constants else {
    'served_model': 'gradient_boosting', 'logistic_weight': '0', 'tree_baseline': '0',
    'intercept': '0', 'log_odds_shift': '0'
} -%}
{%- set weight = constant.logistic_weight | float -%}
{%- set column_sql = {} -%}
{%- for column in columns -%}
    {%- do column_sql.update({column.feature_name: 'design.' ~ column.feature_name}) -%}
{%- endfor -%}
{#- tree_index -> node_id -> row -#}
{%- set trees = {} -%}
{%- for node in nodes -%}
    {%- if node.tree_index | int not in trees -%}
        {%- do trees.update({node.tree_index | int: {}}) -%}
    {%- endif -%}
    {%- do trees[node.tree_index | int].update({node.node_id | int: node}) -%}
{%- endfor -%}
{%- set shift = customer_segmentation.double_literal(constant.log_odds_shift) %}

with design as (

    select * from {{ ref('int_propensity_design') }}

),

log_odds as (

    select
        design.customer_id,
        design.is_training,
        design.has_responded,
        {%- if weight < 1 %}
        {{ customer_segmentation.double_literal(constant.tree_baseline) }}
        {%- for tree in trees %}
            + {{ customer_segmentation.propensity_tree_value(trees[tree], column_sql) }}
        {%- endfor %}
            + {{ shift }} as tree_log_odds,
        {%- else %}
        -- the logistic model alone is served: its trees are registered, not needed
        cast(null as {{ customer_segmentation.type_double() }}) as tree_log_odds,
        {%- endif %}
        {{ customer_segmentation.double_literal(constant.intercept) }}
        {%- for column in columns %}
        {%- set levels_of = levels | selectattr('feature_name', 'equalto', column.feature_name) | list %}
            + {% if column.is_categorical -%}
            {{ customer_segmentation.logistic_level_term('design.' ~ column.feature_name, levels_of) }}
            {%- else -%}
            {{ customer_segmentation.double_literal(column.coefficient) }}
                * {{ customer_segmentation.logistic_scaled_value('design.' ~ column.feature_name, column) }}
            {%- endif %}
        {%- endfor %}
            + {{ shift }} as linear_log_odds
    from design

),

final as (

    select
        customer_id,
        is_training,
        has_responded,
        tree_log_odds,
        linear_log_odds,
        {%- if constant.served_model == 'logistic_baseline' %}
        linear_log_odds as served_log_odds
        {%- elif constant.served_model == 'gradient_boosting' %}
        tree_log_odds as served_log_odds
        {%- else %}
        {{ customer_segmentation.double_literal(1 - weight) }} * tree_log_odds
            + {{ customer_segmentation.double_literal(weight) }} * linear_log_odds as served_log_odds
        {%- endif %}
    from log_odds

)

select * from final
