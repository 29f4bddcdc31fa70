{#
    Writes one Parquet file per public mart (every enabled table model under
    models/marts/) to a folder, for BI tools that read files: <directory>/<mart>.parquet.
    Runs as the project's on-run-end hook when var export_parquet_dir is set (null = off),
    and on demand with `make export` (dbt run-operation export_marts).
    Marts not built yet (or disabled with their feature family) are skipped and logged.
    Arguments:
        directory: an existing folder; defaults to var export_parquet_dir. Nothing is
            written when both are null.
#}
{% macro export_marts(directory=none) %}
    {{ return(adapter.dispatch('export_marts', 'customer_segmentation')(directory)) }}
{% endmacro %}

{% macro default__export_marts(directory) %}
    {% if directory or var('export_parquet_dir', none) %}
        {{ exceptions.raise_compiler_error(
            "export_marts: the Parquet export is implemented for DuckDB only (target type "
            ~ target.type ~ "). Unset var export_parquet_dir, or export with your warehouse's "
            ~ "own unload command."
        ) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__export_marts(directory) %}
    {% set directory = directory or var('export_parquet_dir', none) %}
    {% if not execute or not directory %}
        {{ return('') }}
    {% endif %}
    {% set directory = directory | string | replace('\\', '/') %}
    {% set directory = directory[:-1] if directory.endswith('/') else directory %}
    {% set exported = [] %}
    {% set skipped = [] %}
    {% for node in graph.nodes.values() | sort(attribute='name') %}
        {% if node.resource_type == 'model' and node.fqn[1] == 'marts'
            and node.config.enabled and node.config.materialized in ['table', 'incremental'] %}
            {% set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.alias or node.name
            ) %}
            {% if relation is none %}
                {% do skipped.append(node.name) %}
            {% else %}
                {% set path = directory ~ '/' ~ node.name ~ '.parquet' %}
                {% do run_query(
                    "copy (select * from " ~ relation ~ ") to '" ~ path | replace("'", "''")
                    ~ "' (format parquet)"
                ) %}
                {% do exported.append(node.name) %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% do log(
        "export_marts: wrote " ~ exported | length ~ " Parquet files to " ~ directory ~ ": "
        ~ exported | join(', ')
        ~ ('; not built, skipped: ' ~ skipped | join(', ') if skipped else ''),
        info=True
    ) %}
    {{ return('') }}
{% endmacro %}
