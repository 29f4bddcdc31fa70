{#- Private helper: a setting's value as the validation messages show it, with its YAML
    type when that is the problem (a quoted number, a boolean, a list). -#}
{% macro _shown(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is boolean -%}
        {{ return(value | lower ~ ' (a boolean)') }}
    {%- elif value is string -%}
        {{ return("'" ~ value ~ "' (a text)") }}
    {%- elif value is mapping -%}
        {{ return(value ~ ' (a mapping)') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- elif value is iterable -%}
        {{ return((value | list) ~ ' (a list)') }}
    {%- endif -%}
    {{ return(value | string) }}
{% endmacro %}
