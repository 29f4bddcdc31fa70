{#
    The schema dbt builds a node in: its custom schema exactly as configured (the marts:
    `marts`), else the target's. dbt's own default prefixes the target schema
    (main_marts) to keep developers apart in one warehouse; here every target is its own
    database (a DuckDB file, or a catalog on Spark), and BI users look for `marts`.
    Arguments:
        custom_schema_name: the node's schema config, or none.
        node: the node being built (unused).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ return(adapter.dispatch('generate_schema_name', 'customer_segmentation')(custom_schema_name, node)) }}
{%- endmacro %}

{% macro default__generate_schema_name(custom_schema_name, node) -%}
    {{ return(custom_schema_name | trim if custom_schema_name else target.schema) }}
{%- endmacro %}
