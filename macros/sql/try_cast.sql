{#
    Casts expression to data_type, giving null instead of an error for values that
    do not convert (e.g. an amount 'n/a'). Staging counts those nulls as repairs.
    Arguments:
        expression: SQL expression to convert.
        data_type:  target type, e.g. dbt.type_numeric().
#}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'customer_segmentation')(expression, data_type)) }}
{% endmacro %}

{#- DuckDB, Snowflake, Spark/Databricks, SQL Server and Trino all spell it try_cast. -#}
{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro bigquery__try_cast(expression, data_type) -%}
    safe_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro postgres__try_cast(expression, data_type) -%}
    {{ exceptions.raise_compiler_error(
        "try_cast has no Postgres implementation: add postgres__try_cast to macros/sql/try_cast.sql."
    ) }}
{%- endmacro %}
