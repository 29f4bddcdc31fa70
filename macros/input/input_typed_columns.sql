{#
    The typed columns of an input (input_contract 'typed'), each with how it is read in
    this build: 'expression' (the mapped SQL, none when the column is absent), 'format'
    (var input_date_formats, dates only) and 'checked': true when the mapped value is
    text, so that reading it can fail. A value already typed (a Parquet double, a
    warehouse date, a boolean expression) always converts, so the base models keep
    <column>_unreadable only for checked columns and a typed input pays nothing (at 20M
    lines five such columns cost seconds); data_quality counts them. An ordinal is always
    checked: a value of any type can be outside its levels.
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
            'expression': columns.get(typed.column), 'format': format, 'levels': typed.get('levels'),
            'checked': typed.kind == 'ordinal' and columns.get(typed.column) is not none,
        }) -%}
    {%- endfor -%}
    {#- the type of each mapped value as given, from one zero-row query -#}
    {%- set mapped = typed_columns | rejectattr('expression', 'none') | list -%}
    {%- if execute and mapped | length > 0 -%}
        {%- set probe -%}
            select
                {%- for typed in mapped %}
                {{ typed.expression }} as {{ typed.column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ customer_segmentation.input_relation(input_name) }}
            where 1 = 0
        {%- endset -%}
        {%- set text_columns = [] -%}
        {#- dbt's is_string() does not know Spark's (and BigQuery's) `string` -#}
        {%- for column in adapter.get_column_schema_from_query(probe)
            if column.is_string() or column.dtype | lower == 'string' -%}
            {%- do text_columns.append(column.name | lower) -%}
        {%- endfor -%}
        {%- for typed in mapped if typed.column in text_columns -%}
            {%- do typed.update({'checked': true}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(typed_columns) }}
{% endmacro %}
