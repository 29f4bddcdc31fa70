{#
    Every column of an input as stored, quoted, for rules that look at whole rows
    (exact-duplicate detection must compare every column, not only the mapped ones).
#}
{% macro input_source_columns(input_name) %}
    {{ return(adapter.dispatch('input_source_columns', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_source_columns(input_name) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = customer_segmentation.input_relation(input_name) -%}
    {%- set names = customer_segmentation._relation_column_names(relation) -%}
    {%- set quoted = [] -%}
    {%- for name in names.values() -%}
        {%- do quoted.append(adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return(quoted) }}
{% endmacro %}
