{#
    var customer_profile_columns checked and read as a list of typed columns, each
    {'name', 'type', 'levels'}: type is number, boolean, ordinal (levels: its values in
    order, lowest first) or categorical (text); levels is none but for an ordinal.
    Accepted shapes: a list of names (all numbers, as before), or a mapping of name to a
    type, or to {type: ..., levels: [...]}. Anything else stops the build naming the
    var, the column and what to write.
    Arguments:
        value:   the var's value, var('customer_profile_columns').
        setting: how the messages name it, e.g. 'var customer_profile_columns'.
#}
{% macro validated_profile_columns(value, setting='var customer_profile_columns') %}
    {{ return(adapter.dispatch('validated_profile_columns', 'customer_segmentation')(value, setting)) }}
{% endmacro %}

{% macro default__validated_profile_columns(value, setting) %}
    {%- set types = ['number', 'boolean', 'ordinal', 'categorical'] -%}
    {%- set example = "e.g. {tenure: number, senior_citizen: boolean, contract: {type: ordinal, "
        ~ "levels: [Month-to-month, One year, Two year]}, internet_service: categorical}" -%}
    {%- if value is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if value is mapping -%}
        {%- set names = customer_segmentation.validated_identifiers(value.keys() | list, setting) -%}
        {%- set columns = [] -%}
        {%- for name in names -%}
            {%- set given = value[name] -%}
            {%- set type = given.get('type') if given is mapping else given -%}
            {%- if type is not string or type | lower not in types -%}
                {{ exceptions.raise_compiler_error(
                    setting ~ ": column '" ~ name ~ "' has type " ~ customer_segmentation._shown(type)
                    ~ ": expected one of " ~ types | join(', ') ~ ", " ~ example ~ "."
                ) }}
            {%- endif -%}
            {%- set type = type | lower -%}
            {%- set levels = given.get('levels') if given is mapping else none -%}
            {%- if given is mapping -%}
                {%- for key in given.keys() if key not in ['type', 'levels'] -%}
                    {{ exceptions.raise_compiler_error(
                        setting ~ ": column '" ~ name ~ "' sets '" ~ key ~ "': a column takes only "
                        ~ "type and, for an ordinal, levels, " ~ example ~ "."
                    ) }}
                {%- endfor -%}
            {%- endif -%}
            {%- if type == 'ordinal' -%}
                {%- if levels is none or levels is string or levels is mapping or levels is not iterable
                    or levels | length < 2 -%}
                    {{ exceptions.raise_compiler_error(
                        setting ~ ": ordinal column '" ~ name ~ "' needs levels, its values in order "
                        ~ "(lowest first, at least two), got " ~ customer_segmentation._shown(levels)
                        ~ ", e.g. " ~ name ~ ": {type: ordinal, levels: [low, medium, high]}."
                    ) }}
                {%- endif -%}
                {%- set texts = [] -%}
                {%- for level in levels -%}
                    {%- if level is none or level is mapping or (level is iterable and level is not string)
                        or (level | string | trim) == '' -%}
                        {{ exceptions.raise_compiler_error(
                            setting ~ ": ordinal column '" ~ name ~ "' lists the level "
                            ~ customer_segmentation._shown(level) ~ ": a level is a text or a number."
                        ) }}
                    {%- endif -%}
                    {%- do texts.append(level | string | trim) -%}
                {%- endfor -%}
                {%- if texts | map('lower') | unique | list | length != texts | length -%}
                    {{ exceptions.raise_compiler_error(
                        setting ~ ": ordinal column '" ~ name ~ "' lists a level twice (levels are "
                        ~ "compared ignoring case): " ~ texts | join(', ') ~ "."
                    ) }}
                {%- endif -%}
                {%- set levels = texts -%}
            {%- elif levels is not none -%}
                {{ exceptions.raise_compiler_error(
                    setting ~ ": column '" ~ name ~ "' is " ~ type ~ " and sets levels: only an "
                    ~ "ordinal takes levels (a categorical column's levels are learned from the data)."
                ) }}
            {%- endif -%}
            {%- do columns.append({'name': name, 'type': type, 'levels': levels}) -%}
        {%- endfor -%}
        {{ return(columns) }}
    {%- endif -%}
    {%- if value is string or value is not iterable -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(value) ~ ": expected a list of numeric "
            ~ "column names, e.g. [annual_income, household_size], or a mapping of column to type, "
            ~ example ~ "."
        ) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name in customer_segmentation.validated_identifiers(value, setting) -%}
        {%- do columns.append({'name': name, 'type': 'number', 'levels': none}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
