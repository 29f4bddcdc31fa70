{#
    One bound of the interval of a difference of two independent proportions p1 - p2
    from each proportion's own interval (Newcombe's hybrid score method, 1998, when
    those are Wilson intervals; the MOVER of Zou and Donner): lower = d -
    sqrt((p1 - l1)^2 + (u2 - p2)^2), upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
    Null when any input is null.
    Arguments:
        estimate_1, lower_1, upper_1: SQL expressions, p1 and its interval.
        estimate_2, lower_2, upper_2: SQL expressions, p2 and its interval.
        bound: 'lower' or 'upper'.
#}
{% macro difference_interval_bound(estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2, bound) %}
    {{ return(adapter.dispatch('difference_interval_bound', 'customer_segmentation')(
        estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2, bound
    )) }}
{% endmacro %}

{% macro default__difference_interval_bound(estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2, bound) -%}
    {%- if bound == 'lower' -%}
        (({{ estimate_1 }}) - ({{ estimate_2 }}) - sqrt(
            (({{ estimate_1 }}) - ({{ lower_1 }})) * (({{ estimate_1 }}) - ({{ lower_1 }}))
            + (({{ upper_2 }}) - ({{ estimate_2 }})) * (({{ upper_2 }}) - ({{ estimate_2 }}))
        ))
    {%- elif bound == 'upper' -%}
        (({{ estimate_1 }}) - ({{ estimate_2 }}) + sqrt(
            (({{ upper_1 }}) - ({{ estimate_1 }})) * (({{ upper_1 }}) - ({{ estimate_1 }}))
            + (({{ estimate_2 }}) - ({{ lower_2 }})) * (({{ estimate_2 }}) - ({{ lower_2 }}))
        ))
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "difference_interval_bound: bound must be 'lower' or 'upper', got '" ~ bound ~ "'."
        ) }}
    {%- endif -%}
{%- endmacro %}
