{#
    One numeric column as the logistic propensity model reads it: a null replaced by
    the imputed value, then its log1p ('log1p': ln(1 + x) clipped at 0; 'signed_log1p':
    sign(x) ln(1 + |x|); 'none'), centred and scaled, as scikit-learn's SimpleImputer,
    the log1p step and StandardScaler do.
    Arguments:
        value:  the column's expression.
        column: its ml_propensity_model column row (impute_value, log1p, center, scale,
                numbers as text).
#}
{% macro logistic_scaled_value(value, column) %}
    {{ return(adapter.dispatch('logistic_scaled_value', 'customer_segmentation')(value, column)) }}
{% endmacro %}

{% macro default__logistic_scaled_value(value, column) -%}
    {%- set imputed = 'coalesce(' ~ value ~ ', ' ~ customer_segmentation.double_literal(column.impute_value) ~ ')' -%}
    {%- if column.log1p == 'log1p' -%}
        {%- set imputed = 'ln(1 + greatest(' ~ imputed ~ ', 0))' -%}
    {%- elif column.log1p == 'signed_log1p' -%}
        {%- set imputed = 'sign(' ~ imputed ~ ') * ln(1 + abs(' ~ imputed ~ '))' -%}
    {%- endif -%}
    (({{ imputed }} - {{ customer_segmentation.double_literal(column.center) }}) / {{ customer_segmentation.double_literal(column.scale) }})
{%- endmacro %}
