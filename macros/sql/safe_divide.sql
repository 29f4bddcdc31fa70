{#
    numerator / denominator, null when the denominator is zero or null, so a ratio
    is never infinite or NaN. The null is imputed downstream by a documented rule.
    Arguments:
        numerator, denominator: numeric SQL expressions.
#}
{% macro safe_divide(numerator, denominator) %}
    {{ return(adapter.dispatch('safe_divide', 'customer_segmentation')(numerator, denominator)) }}
{% endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ customer_segmentation.type_double() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
