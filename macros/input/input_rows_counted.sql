{#
    The rows of an input with exact duplicates collapsed: one row per distinct row,
    with row_copies saying how many identical copies came in (a group-by over every
    column, so a legitimate repeat that differs in any column is never merged).
    Also stops the build when the input is empty. Used by the base models.
#}
{% macro input_rows_counted(input_name) %}
    {{ return(adapter.dispatch('input_rows_counted', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_rows_counted(input_name) -%}
    {{- customer_segmentation.assert_input_not_empty(input_name) -}}
    select
        *,
        count(*) as row_copies
    from {{ customer_segmentation.input_relation(input_name) }}
    group by {{ customer_segmentation.input_source_columns(input_name) | join(', ') }}
{%- endmacro %}
