{#
    Reads a date or timestamp, giving null instead of an error for a value that does
    not parse. Without a format it is try_cast (ISO 8601, YYYY-MM-DD [HH:MM:SS], and
    values already typed); with a format, the text is parsed with it (strptime codes,
    e.g. '%d/%m/%Y %H:%M').
    Arguments:
        expression: SQL expression to read.
        data_type:  'date' or dbt.type_timestamp().
        format:     a strptime format with its single quotes doubled, or none.
#}
{% macro try_parse_datetime(expression, data_type, format=none) %}
    {{ return(adapter.dispatch('try_parse_datetime', 'customer_segmentation')(expression, data_type, format)) }}
{% endmacro %}

{% macro default__try_parse_datetime(expression, data_type, format=none) -%}
    {%- if format is not none -%}
        {{ exceptions.raise_compiler_error(
            "try_parse_datetime with a format (var input_date_formats) has no implementation for "
            ~ target.type ~ ": add " ~ target.type ~ "__try_parse_datetime to "
            ~ "macros/sql/try_parse_datetime.sql, or unset the format and map the column to an "
            ~ "expression that parses it (var input_columns)."
        ) }}
    {%- endif -%}
    {{ customer_segmentation.try_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_parse_datetime(expression, data_type, format=none) -%}
    {%- if format is none -%}
        {{ customer_segmentation.try_cast(expression, data_type) }}
    {%- else -%}
        cast(try_strptime(cast({{ expression }} as varchar), '{{ format }}') as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
