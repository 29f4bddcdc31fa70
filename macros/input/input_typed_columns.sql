{#
    The typed columns of an input (input_contract 'typed'), each with how it is read in
    this build: 'expression' (the mapped SQL, none when the column is absent) and
    'format' (var input_date_formats, dates only). The base models type these columns
    and keep <column>_unreadable for every mapped one; data_quality counts them.
    Arguments:
        input_name: an input of the contract.
        columns:    its resolved columns, from input_columns(input_name).
#}
{% macro input_typed_columns(input_name, columns) %}
    {{ return(adapter.dispatch('input_typed_columns', 'customer_segmentation')(input_name, columns)) }}
{% endmacro %}

{% macro default__input_typed_columns(input_name, columns) %}
    {#- checked here, where every base model is parsed, not only in its post-hook -#}
    {%- do customer_segmentation.validated_number(
        var('input_unreadable_max_share'), 'var input_unreadable_max_share', 0, 1
    ) -%}
    {%- set typed_columns = [] -%}
    {%- for typed in customer_segmentation.input_contract(input_name).typed -%}
        {%- set format = customer_segmentation.input_date_format(input_name, typed.column)
            if typed.kind in ['date', 'timestamp'] else none -%}
        {%- do typed_columns.append({
            'column': typed.column, 'kind': typed.kind, 'as': typed['as'], 'rule': typed.rule,
            'expression': columns.get(typed.column), 'format': format,
        }) -%}
    {%- endfor -%}
    {{ return(typed_columns) }}
{% endmacro %}
