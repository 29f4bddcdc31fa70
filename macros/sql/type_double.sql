{#
    A 64-bit floating-point type. dbt.type_float() is 'float', which is 64-bit on
    most warehouses but 32-bit on DuckDB and Spark, where it would round money to ~7
    digits.
#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    {{ return(dbt.type_float()) }}
{%- endmacro %}

{% macro duckdb__type_double() -%}
    {{ return('double') }}
{%- endmacro %}

{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}
