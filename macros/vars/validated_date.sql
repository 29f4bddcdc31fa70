{#
    A date setting checked before it reaches SQL: none stays none, a YAML date or a
    'YYYY-MM-DD' text that is a real calendar date comes back as 'YYYY-MM-DD' (safe to
    quote); anything else stops the build naming the setting and what it got.
    Arguments:
        value:   the setting's value, e.g. var('as_of_date').
        setting: how the message names it, e.g. 'var as_of_date'.
#}
{% macro validated_date(value, setting) %}
    {{ return(adapter.dispatch('validated_date', 'customer_segmentation')(value, setting)) }}
{% endmacro %}

{% macro default__validated_date(value, setting) %}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {#- an unquoted YAML date arrives as a date object (a datetime has an hour: refused) -#}
    {%- set text = value.strftime('%Y-%m-%d') if (value is not string and value.strftime is defined
        and value.hour is not defined) else value -%}
    {%- set parts = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) if text is string else none -%}
    {%- set is_date = false -%}
    {%- if parts -%}
        {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
        {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
        {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- set is_date = 1 <= month <= 12 and 1 <= day <= days[month - 1] -%}
    {%- endif -%}
    {%- if not is_date -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(value)
            ~ ": expected a date written YYYY-MM-DD, e.g. 2026-01-01, or null."
        ) }}
    {%- endif -%}
    {{ return(text) }}
{% endmacro %}
