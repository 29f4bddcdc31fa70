{#
    Writes one Parquet file per table of the published database (every public mart and
    published_marts, which names the run they come from) to a folder, for BI tools that
    read files: <directory>/<table>.parquet. Reads the published file, never the
    workspace, so the files always hold the marts of the last successful build. Runs as
    the project's on-run-end hook when var export_parquet_dir is set (null = off), then
    only after a run that published; and on demand with `make export` (dbt run-operation
    export_marts).
    Arguments:
        directory: an existing folder; defaults to var export_parquet_dir. Nothing is
            written when both are null.
        results: the run's results when called as the on-run-end hook: nothing is
            exported unless published_marts succeeded in it.
#}
{% macro export_marts(directory=none, results=none) %}
    {{ return(adapter.dispatch('export_marts', 'customer_segmentation')(directory, results)) }}
{% endmacro %}

{% macro default__export_marts(directory, results) %}
    {% if directory or var('export_parquet_dir', none) %}
        {{ exceptions.raise_compiler_error(
            "export_marts: the Parquet export is implemented for DuckDB only (target type "
            ~ target.type ~ "). Unset var export_parquet_dir, or export with your warehouse's "
            ~ "own unload command."
        ) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__export_marts(directory, results) %}
    {% set directory = directory or var('export_parquet_dir', none) %}
    {% if not execute or not directory %}
        {{ return('') }}
    {% endif %}
    {% if results is not none %}
        {% set published = [] %}
        {% for result in results if result.node.name == 'published_marts' and result.status == 'success' %}
            {% do published.append(result) %}
        {% endfor %}
        {% if not published %}
            {% do log("export_marts: this run published nothing, so nothing was exported.", info=True) %}
            {{ return('') }}
        {% endif %}
    {% endif %}
    {% set directory = directory | string | replace('\\', '/') %}
    {% set directory = directory[:-1] if directory.endswith('/') else directory %}
    {% set database = customer_segmentation.published_database_path() %}
    {% if not run_query("select count(*) from glob('" ~ database | replace("'", "''") ~ "')").columns[0].values()[0] %}
        {{ exceptions.raise_compiler_error(
            "export_marts: the published database " ~ database ~ " does not exist yet: "
            ~ "run `dbt build` first (a successful build publishes it)."
        ) }}
    {% endif %}
    {% do run_query("attach '" ~ database | replace("'", "''") ~ "' as segmentation_published (read_only)") %}
    {#- the published file holds its tables in the marts' schema, as the workspace does -#}
    {% set schema = graph.nodes['model.' ~ project_name ~ '.published_marts'].schema %}
    {% set tables = run_query(
        "select table_name from information_schema.tables where table_catalog = "
        ~ "'segmentation_published' and table_schema = '" ~ schema | replace("'", "''")
        ~ "' and table_type = 'BASE TABLE' order by table_name"
    ).columns[0].values() %}
    {% for table in tables %}
        {% do run_query(
            "copy (select * from segmentation_published." ~ adapter.quote(schema) ~ "."
            ~ adapter.quote(table) ~ ") to '"
            ~ (directory ~ '/' ~ table ~ '.parquet') | replace("'", "''") ~ "' (format parquet)"
        ) %}
    {% endfor %}
    {% do run_query("detach segmentation_published") %}
    {% do log(
        "export_marts: wrote " ~ tables | length ~ " Parquet files from " ~ database ~ " to "
        ~ directory ~ ": " ~ tables | join(', '),
        info=True
    ) %}
    {{ return('') }}
{% endmacro %}
