{#
    The SQL reading a value of an input as its contract kind, null when it does not
    convert (never an error): number (64-bit float), integer, boolean, date or
    timestamp (with the strptime format of var input_date_formats when one is set), or
    ordinal: the 1-based rank of the value among levels, compared trimmed and ignoring
    case (a value not among them is null, so counted as unreadable). A boolean reads
    true/false, t/f, yes/no, y/n and 1/0 in any case (DuckDB's own cast does; an adapter
    whose cast does not needs its own variant here).
    Arguments:
        expression: the SQL expression of the column as given.
        kind:       number, integer, boolean, date, timestamp or ordinal (input_contract typed).
        format:     the date format (input_date_format), or none.
        levels:     an ordinal's levels in order (texts), or none.
#}
{% macro input_typed_value(expression, kind, format=none, levels=none) %}
    {{ return(adapter.dispatch('input_typed_value', 'customer_segmentation')(expression, kind, format, levels)) }}
{% endmacro %}

{% macro default__input_typed_value(expression, kind, format=none, levels=none) -%}
    {%- if kind == 'number' -%}
        {{ customer_segmentation.try_cast(expression, customer_segmentation.type_double()) }}
    {%- elif kind == 'integer' -%}
        {{ customer_segmentation.try_cast(expression, dbt.type_int()) }}
    {%- elif kind == 'boolean' -%}
        {{ customer_segmentation.try_cast(expression, dbt.type_boolean()) }}
    {%- elif kind == 'ordinal' -%}
        case lower(trim(cast({{ expression }} as {{ dbt.type_string() }})))
            {%- for level in levels %}
            when '{{ level | string | lower | replace("'", "''") }}' then {{ loop.index }}
            {%- endfor %}
        end
    {%- elif kind == 'date' -%}
        {{ customer_segmentation.try_parse_datetime(expression, 'date', format) }}
    {%- elif kind == 'timestamp' -%}
        {{ customer_segmentation.try_parse_datetime(expression, dbt.type_timestamp(), format) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("input_typed_value: unknown kind '" ~ kind ~ "'.") }}
    {%- endif -%}
{%- endmacro %}
