{#
    SQL for one bin's term of the population stability index,
    (actual - expected) * ln(actual / expected), with each share raised to epsilon
    when it is below it, so an empty bin adds a large but finite term. Summed over the
    bins of a feature it gives the PSI.
    Arguments:
        actual:   expression giving the bin's share now (0 to 1).
        expected: expression giving the bin's share in the baseline (0 to 1).
        epsilon:  the floor for an empty bin's share (e.g. 0.0001).
#}
{% macro population_stability_term(actual, expected, epsilon) %}
    {{ return(adapter.dispatch('population_stability_term', 'customer_segmentation')(
        actual, expected, epsilon
    )) }}
{% endmacro %}

{% macro default__population_stability_term(actual, expected, epsilon) -%}
    (
        (case when {{ actual }} < {{ epsilon }} then {{ epsilon }} else {{ actual }} end)
        - (case when {{ expected }} < {{ epsilon }} then {{ epsilon }} else {{ expected }} end)
    ) * ln(
        (case when {{ actual }} < {{ epsilon }} then {{ epsilon }} else {{ actual }} end)
        / (case when {{ expected }} < {{ epsilon }} then {{ epsilon }} else {{ expected }} end)
    )
{%- endmacro %}
