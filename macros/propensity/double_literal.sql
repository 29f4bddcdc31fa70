{#
    A floating-point literal of the exact double a number's shortest round-trip text
    names: with an exponent, which DuckDB, Spark, Snowflake and BigQuery read as a
    double (a plain decimal would be a DECIMAL, rounded twice).
    Arguments:
        text: the number as text (propensity_model_rows gives every number so).
#}
{% macro double_literal(text) %}
    {{ return(adapter.dispatch('double_literal', 'customer_segmentation')(text)) }}
{% endmacro %}

{% macro default__double_literal(text) -%}
    {%- set text = text | string | trim -%}
    {%- if text | lower in ['nan', 'inf', '-inf', 'infinity', '-infinity'] -%}
        {{ exceptions.raise_compiler_error("double_literal: the propensity model holds " ~ text ~ ", which has no SQL literal: fit it again") }}
    {%- endif -%}
    {{ return('(' ~ text ~ ')' if 'e' in text | lower else '(' ~ text ~ 'e0)') }}
{%- endmacro %}
