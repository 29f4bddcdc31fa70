{#
    The SQL reading a value of an input as its contract kind, null when it does not
    convert (never an error): number (64-bit float), integer, boolean, date or
    timestamp (with the strptime format of var input_date_formats when one is set).
    Arguments:
        expression: the SQL expression of the column as given.
        kind:       number, integer, boolean, date or timestamp (input_contract typed).
        format:     the date format (input_date_format), or none.
#}
{% macro input_typed_value(expression, kind, format=none) %}
    {{ return(adapter.dispatch('input_typed_value', 'customer_segmentation')(expression, kind, format)) }}
{% endmacro %}

{% macro default__input_typed_value(expression, kind, format=none) -%}
    {%- if kind == 'number' -%}
        {{ customer_segmentation.try_cast(expression, customer_segmentation.type_double()) }}
    {%- elif kind == 'integer' -%}
        {{ customer_segmentation.try_cast(expression, dbt.type_int()) }}
    {%- elif kind == 'boolean' -%}
        {{ customer_segmentation.try_cast(expression, dbt.type_boolean()) }}
    {%- elif kind == 'date' -%}
        {{ customer_segmentation.try_parse_datetime(expression, 'date', format) }}
    {%- elif kind == 'timestamp' -%}
        {{ customer_segmentation.try_parse_datetime(expression, dbt.type_timestamp(), format) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("input_typed_value: unknown kind '" ~ kind ~ "'.") }}
    {%- endif -%}
{%- endmacro %}
