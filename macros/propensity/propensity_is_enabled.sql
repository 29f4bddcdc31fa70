{#
    Whether the propensity model and its marts are built: its outcome is available, from
    campaign_responses (listed in var optional_inputs) or from a column of the customers
    input (var propensity_outcome source customers; customers is always there).
#}
{% macro propensity_is_enabled() %}
    {{ return(adapter.dispatch('propensity_is_enabled', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__propensity_is_enabled() %}
    {%- set outcome = customer_segmentation.propensity_outcome() -%}
    {{ return(outcome.source == 'customers' or customer_segmentation.input_is_enabled('campaign_responses')) }}
{% endmacro %}
