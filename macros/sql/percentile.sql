{#
    Continuous percentile (linear interpolation) of expression, as an aggregate.
    Arguments:
        expression: numeric SQL expression.
        fraction:   a number between 0 and 1, e.g. 0.2 for the 20th percentile.
#}
{% macro percentile(expression, fraction) %}
    {{ return(adapter.dispatch('percentile', 'customer_segmentation')(expression, fraction)) }}
{% endmacro %}

{#- DuckDB, Snowflake, Postgres, Redshift and Trino accept the SQL-standard form. -#}
{% macro default__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro bigquery__percentile(expression, fraction) -%}
    {{ exceptions.raise_compiler_error(
        "BigQuery has percentile_cont only as a window function: add bigquery__percentile "
        ~ "to macros/sql/percentile.sql (e.g. approx_quantiles) before running on BigQuery."
    ) }}
{%- endmacro %}
