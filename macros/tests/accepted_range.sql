{#
    Generic test: every non-null value of the column lies within [min_value, max_value]
    (bounds optional; exclusive when inclusive=false). Fails with the offending rows.
    Arguments:
        min_value, max_value: numbers or SQL expressions; at least one is required.
        inclusive:            whether the bounds themselves are allowed (default true).
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {{ return(adapter.dispatch('test_accepted_range', 'customer_segmentation')(
        model, column_name, min_value, max_value, inclusive
    )) }}
{% endtest %}

{% macro default__test_accepted_range(model, column_name, min_value, max_value, inclusive) %}
{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error(
        "accepted_range on " ~ model ~ "." ~ column_name ~ " needs min_value or max_value."
    ) }}
{%- endif -%}
{%- set low = '>=' if inclusive else '>' -%}
{%- set high = '<=' if inclusive else '<' -%}
select *
from {{ model }}
where {{ column_name }} is not null
    and not (
        1 = 1
        {%- if min_value is not none %}
        and {{ column_name }} {{ low }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        and {{ column_name }} {{ high }} {{ max_value }}
        {%- endif %}
    )
{% endmacro %}
