{#
    A text setting checked before it reaches SQL as a quoted literal (e.g. var
    propensity_campaign, a date format): a text or a number (an id written 42 in YAML
    is the text '42'), none only when allow_none. Lists, mappings and booleans stop
    the build naming the setting and what it got. Returns the text with single quotes
    doubled, ready to put between single quotes.
    Arguments:
        value:      the setting's value.
        setting:    how the message names it, e.g. 'var propensity_campaign'.
        expected:   what a valid value is, for the message, e.g. 'a campaign_id'.
        allow_none: true when null is a valid setting.
#}
{% macro validated_text(value, setting, expected, allow_none=false) %}
    {{ return(adapter.dispatch('validated_text', 'customer_segmentation')(value, setting, expected, allow_none)) }}
{% endmacro %}

{% macro default__validated_text(value, setting, expected, allow_none) %}
    {%- if value is none and allow_none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is boolean or not (value is string or value is number) or (value | string) == '' -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(value) ~ ": expected " ~ expected
            ~ (", or null" if allow_none else "") ~ "."
        ) }}
    {%- endif -%}
    {{ return(value | string | replace("'", "''")) }}
{% endmacro %}
