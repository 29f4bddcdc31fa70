{#
    The value as given, as text, when it was present but could not be read (its typed
    form is null: a failed cast or parse), else null. A blank text counts: it is a value
    present that is not a number or a date. Only such rows are cast to text, so a typed
    input (Parquet, a warehouse table) never pays for a text copy of every value.
    Arguments:
        typed: the typed column, e.g. 'amount'.
        given: the column as given, e.g. 'amount__given'.
#}
{% macro unreadable_value(typed, given) %}
    {{ return(adapter.dispatch('unreadable_value', 'customer_segmentation')(typed, given)) }}
{% endmacro %}

{% macro default__unreadable_value(typed, given) -%}
    case when {{ typed }} is null and {{ given }} is not null then cast({{ given }} as {{ dbt.type_string() }}) end
{%- endmacro %}
