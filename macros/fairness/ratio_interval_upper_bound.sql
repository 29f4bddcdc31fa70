{#
    The upper bound of the interval of a ratio of two independent proportions p1 / p2
    from each proportion's own interval (MOVER-R, Donner and Zou 2012):
    (p1 p2 + sqrt((p1 p2)^2 - u1 l2 (2 p1 - u1) (2 p2 - l2))) / (l2 (2 p2 - l2)).
    What the four-fifths rule compares: the ratio is below 0.8 with confidence when
    this bound is. Null when l2 is 0 (p2 could be 0: no upper bound) or an input is null.
    Arguments:
        estimate_1, lower_1, upper_1: SQL expressions, p1 and its interval.
        estimate_2, lower_2, upper_2: SQL expressions, p2 and its interval.
#}
{% macro ratio_interval_upper_bound(estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2) %}
    {{ return(adapter.dispatch('ratio_interval_upper_bound', 'customer_segmentation')(
        estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2
    )) }}
{% endmacro %}

{% macro default__ratio_interval_upper_bound(estimate_1, lower_1, upper_1, estimate_2, lower_2, upper_2) -%}
    {%- set product = '(' ~ estimate_1 ~ ') * (' ~ estimate_2 ~ ')' -%}
    {%- set denominator = '(' ~ lower_2 ~ ') * (2 * (' ~ estimate_2 ~ ') - (' ~ lower_2 ~ '))' -%}
    {#- the discriminant is never negative in exact arithmetic; the case guards rounding -#}
    (({{ product }} + sqrt(
        case
            when {{ product }} * {{ product }}
                - ({{ upper_1 }}) * ({{ lower_2 }}) * (2 * ({{ estimate_1 }}) - ({{ upper_1 }}))
                * (2 * ({{ estimate_2 }}) - ({{ lower_2 }})) < 0 then 0
            else {{ product }} * {{ product }}
                - ({{ upper_1 }}) * ({{ lower_2 }}) * (2 * ({{ estimate_1 }}) - ({{ upper_1 }}))
                * (2 * ({{ estimate_2 }}) - ({{ lower_2 }}))
        end
    )) / nullif({{ denominator }}, 0))
{%- endmacro %}
