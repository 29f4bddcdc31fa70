{#
    The registered fit table `name` as exported by export_registered_models: a relation
    over the Parquet file <registered_models_dir>/<name>.parquet.
#}
{% macro registered_fit(name) %}
    {{ return(adapter.dispatch('registered_fit', 'customer_segmentation')(name)) }}
{% endmacro %}

{% macro default__registered_fit(name) -%}
    {{ exceptions.raise_compiler_error(
        "registered_fit: reading the exported fits is implemented for DuckDB and Spark, not "
        ~ target.type ~ ": load " ~ var('registered_models_dir') ~ "/" ~ name ~ ".parquet into a "
        ~ "table and add " ~ target.type ~ "__registered_fit to macros/lifecycle/registered_fits.sql."
    ) }}
{%- endmacro %}

{% macro duckdb__registered_fit(name) -%}
    read_parquet('{{ var('registered_models_dir') | replace("'", "''") }}/{{ name }}.parquet')
{%- endmacro %}

{% macro spark__registered_fit(name) -%}
    parquet.`{{ var('registered_models_dir') }}/{{ name }}.parquet`
{%- endmacro %}
