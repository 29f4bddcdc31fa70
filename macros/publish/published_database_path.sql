{#
    The published database: the file readers open (BI tools, the report, the Parquet
    export). dbt builds in a workspace file beside it (profiles/profiles.yml) and the
    published_marts model replaces this file only when a build succeeds.
#}
{% macro published_database_path() %}
    {{ return(adapter.dispatch('published_database_path', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__published_database_path() %}
    {{ return(env_var('SEGMENTATION_DUCKDB_PATH', 'customer_segmentation.duckdb')) }}
{% endmacro %}
