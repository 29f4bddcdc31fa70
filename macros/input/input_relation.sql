{#
    The relation an input of the contract is read from, chosen by var('input_source'):
    the demo seed, a table of the warehouse, or a file read in place. Only staging
    models call it, so lineage always runs input -> staging.
#}
{% macro input_relation(input_name) %}
    {{ return(adapter.dispatch('input_relation', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_relation(input_name) %}
    {%- set mode = var('input_source') -%}
    {%- if mode == 'demo' -%}
        {{ return(ref('demo_' ~ input_name)) }}
    {%- elif mode == 'warehouse' -%}
        {#- dbt quotes the names, so only a double quote in one could break the SQL -#}
        {%- for setting in ['input_schema', 'input_database'] if '"' in (var(setting) or '') | string -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ setting ~ " is '" ~ var(setting) ~ "': expected a schema or database name "
                ~ "without double quotes."
            ) }}
        {%- endfor -%}
        {{ return(source('customer_data', input_name)) }}
    {%- elif mode == 'files' -%}
        {{ return(source('customer_files', input_name)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var input_source is '" ~ mode ~ "': set it to 'demo', 'warehouse' or 'files' "
            ~ "in dbt_project.yml or with --vars."
        ) }}
    {%- endif -%}
{% endmacro %}
