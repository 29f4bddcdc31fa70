{#
    Generic test: no two rows share the same values in all of `columns` (a compound
    primary key). Fails with one row per duplicated combination.
    Arguments:
        columns: list of column names.
#}
{% test unique_combination(model, columns) %}
    {{ return(adapter.dispatch('test_unique_combination', 'customer_segmentation')(model, columns)) }}
{% endtest %}

{% macro default__test_unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endmacro %}
