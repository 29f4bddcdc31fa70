{#
    A numeric setting checked before it reaches SQL: a number (not a boolean, not a
    text that looks like one) within [min_value, max_value], a whole number when asked;
    none only when allow_none. Anything else stops the build naming the setting, what
    it got and what is expected. Returns the value.
    Arguments:
        value:      the setting's value, e.g. var('fairness_parity_threshold').
        setting:    how the message names it, e.g. 'var fairness_parity_threshold'.
        min_value:  smallest value allowed (none: no lower bound).
        max_value:  largest value allowed (none: no upper bound).
        whole:      true when only whole numbers make sense (counts, sizes).
        allow_none: true when null is a valid setting (e.g. "switched off").
#}
{% macro validated_number(value, setting, min_value=none, max_value=none, whole=false, allow_none=false) %}
    {{ return(adapter.dispatch('validated_number', 'customer_segmentation')(
        value, setting, min_value, max_value, whole, allow_none
    )) }}
{% endmacro %}

{% macro default__validated_number(value, setting, min_value, max_value, whole, allow_none) %}
    {%- if value is none and allow_none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set is_number = value is number and value is not boolean and (value is integer or not whole) -%}
    {%- set in_range = is_number and (min_value is none or value >= min_value)
        and (max_value is none or value <= max_value) -%}
    {%- if not in_range -%}
        {%- set bounds = [] -%}
        {%- if min_value is not none -%}{%- do bounds.append('at least ' ~ min_value) -%}{%- endif -%}
        {%- if max_value is not none -%}{%- do bounds.append('at most ' ~ max_value) -%}{%- endif -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(value) ~ ": expected "
            ~ ("a whole number" if whole else "a number")
            ~ (" " ~ bounds | join(' and ') if bounds else "")
            ~ (", or null" if allow_none else "") ~ " (written without quotes)."
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
