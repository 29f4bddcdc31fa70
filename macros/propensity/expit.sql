{#
    The logistic function 1 / (1 + exp(-x)): a probability from log-odds.
    Arguments:
        log_odds: the log-odds expression.
#}
{% macro expit(log_odds) %}
    {{ return(adapter.dispatch('expit', 'customer_segmentation')(log_odds)) }}
{% endmacro %}

{% macro default__expit(log_odds) -%}
    (1 / (1 + exp(-({{ log_odds }}))))
{%- endmacro %}
