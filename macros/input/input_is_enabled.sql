{#
    Whether an input of the contract exists. customers is required; each optional
    input is switched on by listing it in var('optional_inputs'). Models of a
    switched-off input are disabled, so its feature family drops out cleanly.
#}
{% macro input_is_enabled(input_name) %}
    {{ return(adapter.dispatch('input_is_enabled', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_is_enabled(input_name) %}
    {%- set known = ['transactions', 'credit_accounts', 'campaign_responses'] -%}
    {%- set enabled = var('optional_inputs') -%}
    {%- for name in enabled if name not in known -%}
        {{ exceptions.raise_compiler_error(
            "var optional_inputs lists '" ~ name ~ "', which is not an input of the contract: "
            ~ "use any of " ~ known | join(', ') ~ "."
        ) }}
    {%- endfor -%}
    {{ return(input_name == 'customers' or input_name in enabled) }}
{% endmacro %}
