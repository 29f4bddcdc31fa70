{#
    One tree of the propensity model as an SQL expression: the log-odds of the leaf a
    row reaches, by nested case expressions over its splits (a numeric split sends
    values <= threshold left, all of them when it is infinite; a categorical one its
    left levels; a null, or a level the split does not know, goes the
    missing_go_to_left way), as scikit-learn's HistGradientBoostingClassifier predicts.
    Arguments:
        nodes:      the tree's tree_node rows (propensity_model_rows), a mapping from
                    node_id to row.
        column_sql: a mapping from model column to its SQL expression.
#}
{% macro propensity_tree_value(nodes, column_sql) %}
    {{ return(adapter.dispatch('propensity_tree_value', 'customer_segmentation')(nodes, column_sql)) }}
{% endmacro %}

{% macro default__propensity_tree_value(nodes, column_sql) -%}
    {{ return(customer_segmentation._propensity_node_value(nodes, 0, column_sql)) }}
{%- endmacro %}

{% macro _propensity_node_value(nodes, node_id, column_sql) -%}
    {%- set node = nodes[node_id] -%}
    {%- if node.is_leaf -%}
        {{ return(customer_segmentation.double_literal(node.node_value)) }}
    {%- endif -%}
    {%- set left = node.left_child | int -%}
    {%- set right = node.right_child | int -%}
    {%- set value = column_sql[node.feature_name] -%}
    {#- each condition a plain boolean: a case expression as a condition plans and runs
        ten times slower on DuckDB -#}
    {%- if node.threshold is none -%}
        {#- categorical: the levels are disjoint, any other code and a null go the
            missing way -#}
        {%- if node.missing_go_to_left -%}
            {%- set goes_left = 'not coalesce(' ~ value ~ ' in (' ~ node.right_levels ~ '), false)' if node.right_levels else 'true' -%}
        {%- else -%}
            {%- set goes_left = 'coalesce(' ~ value ~ ' in (' ~ node.left_levels ~ '), false)' if node.left_levels else 'false' -%}
        {%- endif -%}
    {%- elif node.threshold | lower in ['inf', 'infinity'] -%}
        {#- the missing values split from all others: every value goes left -#}
        {%- set goes_left = 'true' if node.missing_go_to_left else value ~ ' is not null' -%}
    {%- else -%}
        {%- set goes_left = 'coalesce(' ~ value ~ ' <= ' ~ customer_segmentation.double_literal(node.threshold) ~ ', ' ~ ('true' if node.missing_go_to_left else 'false') ~ ')' -%}
    {%- endif -%}
    {{ return(
        'case when ' ~ goes_left ~ ' then '
        ~ customer_segmentation._propensity_node_value(nodes, left, column_sql)
        ~ ' else '
        ~ customer_segmentation._propensity_node_value(nodes, right, column_sql)
        ~ ' end'
    ) }}
{%- endmacro %}
