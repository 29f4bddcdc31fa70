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

{#- Spark: the strptime codes become Spark datetime patterns; a code without one stops
    the build (a silently misread date would be counted as unreadable, not named). -#}
{% macro spark__try_parse_datetime(expression, data_type, format=none) -%}
    {%- if format is none -%}
        {{ customer_segmentation.try_cast(expression, data_type) }}
    {%- else -%}
        {%- set patterns = {
            '%Y': 'yyyy', '%y': 'yy', '%m': 'MM', '%d': 'dd', '%H': 'HH', '%I': 'hh',
            '%M': 'mm', '%S': 'ss', '%f': 'SSSSSS', '%p': 'a', '%b': 'MMM', '%B': 'MMMM',
            '%z': 'Z', '%%': '%'
        } -%}
        {%- set parts = modules.re.split('(%.)', format) -%}
        {%- set pattern = [] -%}
        {%- for part in parts -%}
            {%- if part.startswith('%') and part | length == 2 -%}
                {%- if part not in patterns -%}
                    {{ exceptions.raise_compiler_error(
                        "try_parse_datetime: the strptime code " ~ part ~ " of var input_date_formats ('"
                        ~ format ~ "') has no Spark pattern; map the column to an expression that "
                        ~ "parses it (var input_columns)."
                    ) }}
                {%- endif -%}
                {%- do pattern.append(patterns[part]) -%}
            {%- elif part -%}
                {#- literal text, quoted as Spark patterns quote it -#}
                {%- do pattern.append("''" ~ part ~ "''" if modules.re.search('[A-Za-z]', part) else part) -%}
            {%- endif -%}
        {%- endfor -%}
        cast(try_to_timestamp(cast({{ expression }} as string), '{{ pattern | join('') }}') as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
