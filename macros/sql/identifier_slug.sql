{#
    A text as a lower-case identifier part: every run of characters other than a-z and
    0-9 becomes one underscore, with none at either end ('Fiber optic' -> 'fiber_optic').
    Arguments:
        expression: a text SQL expression.
#}
{% macro identifier_slug(expression) %}
    {{ return(adapter.dispatch('identifier_slug', 'customer_segmentation')(expression)) }}
{% endmacro %}

{% macro default__identifier_slug(expression) -%}
    {#- regexp_replace replaces every match on Spark, Snowflake and BigQuery -#}
    trim(both '_' from regexp_replace(lower({{ expression }}), '[^a-z0-9]+', '_'))
{%- endmacro %}

{% macro duckdb__identifier_slug(expression) -%}
    {#- DuckDB replaces only the first match without the 'g' option -#}
    trim(regexp_replace(lower({{ expression }}), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}
