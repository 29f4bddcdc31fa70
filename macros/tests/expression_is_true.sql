{#
    Generic test: the boolean SQL expression holds on every row (rows where it is
    false or null fail). Use it for row-level invariants such as
    "rows_out <= rows_in".
    Arguments:
        expression: boolean SQL expression over the model's columns.
#}
{% test expression_is_true(model, expression) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'customer_segmentation')(model, expression)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce({{ expression }}, false)
{% endmacro %}
