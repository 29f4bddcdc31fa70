{#
    Stops the build with a message naming the input when it has no rows: an empty
    input would silently give empty features, which is never what a user wants.
#}
{% macro assert_input_not_empty(input_name) %}
    {{ return(adapter.dispatch('assert_input_not_empty', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__assert_input_not_empty(input_name) %}
    {%- if execute -%}
        {%- set relation = customer_segmentation.input_relation(input_name) -%}
        {%- set probe = run_query('select 1 as has_rows from ' ~ relation ~ ' limit 1') -%}
        {%- if probe.rows | length == 0 -%}
            {%- set advice = "load it, or remove '" ~ input_name
                ~ "' from var optional_inputs to switch its features off."
                if input_name != 'customers' else "load it: customers is required." -%}
            {{ exceptions.raise_compiler_error(
                "Input '" ~ input_name ~ "' (" ~ relation ~ ") is empty: " ~ advice
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
