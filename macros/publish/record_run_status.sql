{#
    On-run-end hook of `dbt build` and `dbt run`: records how the run ended in
    run_manifest and says in dbt's output what readers now see. A run whose
    published_marts succeeded is `published`; any other run published nothing and is
    `failed` (a node failed) or `not_published` (published_marts was not selected). On a
    target without the publish step (Spark) a build of every model that failed nothing
    is `published` in place. A run that stopped before its manifest row was written
    gets a row of its own.
    Arguments:
        results: the run's results (dbt's on-run-end `results`).
#}
{% macro record_run_status(results) %}
    {{ return(adapter.dispatch('record_run_status', 'customer_segmentation')(results)) }}
{% endmacro %}

{% macro default__record_run_status(results) %}
    {% if not execute or flags.WHICH not in ['build', 'run'] %}
        {{ return('') }}
    {% endif %}
    {% set failed = [] %}
    {% set published = [] %}
    {% for result in results %}
        {% if result.status in ['error', 'fail', 'runtime error'] %}
            {% do failed.append(result.node.name) %}
        {% elif result.node.name == 'published_marts' and result.status == 'success' %}
            {% do published.append(result) %}
        {% endif %}
    {% endfor %}
    {% set where = customer_segmentation.published_database_path() %}
    {% if published %}
        {% do log("Published the marts of run " ~ invocation_id ~ " to " ~ where ~ ".", info=True) %}
        {{ return('') }}
    {% endif %}
    {#- a target without the publish step (Spark): a build of every model that failed
        nothing is `published` in place, its marts being the ones readers query -#}
    {% set publishes = graph.nodes.get('model.' ~ project_name ~ '.published_marts') is not none %}
    {% set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list %}
    {% set built = results | selectattr('node.resource_type', 'equalto', 'model') | list %}
    {% set in_place = not publishes and not failed and built | length == models | length %}
    {% if in_place %}
        {% do log("Built the marts of run " ~ invocation_id ~ " in place (target " ~ target.name
            ~ ", no published DuckDB file): readers query them there.", info=True) %}
    {% endif %}
    {% set status = 'failed' if failed else ('published' if in_place else 'not_published') %}
    {% set manifest_node = graph.nodes.get('model.' ~ project_name ~ '.run_manifest') %}
    {% set manifest = none %}
    {% if manifest_node %}
        {% set manifest = adapter.get_relation(
            database=manifest_node.database, schema=manifest_node.schema,
            identifier=manifest_node.alias or manifest_node.name
        ) %}
    {% endif %}
    {% set last = [] %}
    {% if manifest is not none and customer_segmentation._has_status_column(manifest) %}
        {% set written = run_query(
            "select count(*) from " ~ manifest ~ " where run_id = '" ~ invocation_id ~ "'"
        ).columns[0].values()[0] %}
        {% if written %}
            {% do customer_segmentation.set_run_status(manifest, status) %}
        {% else %}
            {% do run_query(
                "insert into " ~ manifest ~ " (run_id, run_started_at, dbt_version, adapter_type, status) "
                ~ "values ('" ~ invocation_id ~ "', cast('"
                ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp()
                ~ "), '" ~ dbt_version ~ "', '" ~ target.type ~ "', '" ~ status ~ "')"
            ) %}
        {% endif %}
        {% do adapter.commit() %}
        {% set last = run_query(
            "select run_id, cast(run_started_at as " ~ dbt.type_string() ~ ") from " ~ manifest
            ~ " where status = 'published' order by run_started_at desc limit 1"
        ).rows %}
    {% endif %}
    {% if not publishes %}
        {% if failed %}
            {% do exceptions.warn("Run " ~ invocation_id ~ ": " ~ failed | length ~ " node(s) failed ("
                ~ failed[:5] | join(', ') ~ (', ...' if failed | length > 5 else '') ~ ").") %}
        {% elif not in_place %}
            {% do log("Run " ~ invocation_id ~ " built part of the project: run_manifest records it as not_published.", info=True) %}
        {% endif %}
        {{ return('') }}
    {% endif %}
    {% set holds = (
        "still holds the marts of run " ~ last[0][0] ~ " (started " ~ last[0][1] ~ ")"
        if last else "has not been published by a successful build yet"
    ) %}
    {% if failed %}
        {% do exceptions.warn(
            "Nothing was published: " ~ failed | length ~ " node(s) failed ("
            ~ failed[:5] | join(', ') ~ (', ...' if failed | length > 5 else '')
            ~ "), so " ~ where ~ " " ~ holds ~ ". Fix what failed and build again."
        ) %}
    {% else %}
        {% do log(
            "Nothing was published: published_marts was not part of this run, so " ~ where
            ~ " " ~ holds ~ ". `dbt build` of the whole project publishes.", info=True
        ) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}

{#- Sets this run's status in run_manifest. -#}
{% macro set_run_status(manifest, status) %}
    {{ return(adapter.dispatch('set_run_status', 'customer_segmentation')(manifest, status)) }}
{% endmacro %}

{% macro default__set_run_status(manifest, status) %}
    {% do run_query(
        "update " ~ manifest ~ " set status = '" ~ status ~ "' where run_id = '" ~ invocation_id ~ "'"
    ) %}
{% endmacro %}

{#- Spark's Parquet tables cannot update: the table is rewritten from a copy (Spark cannot
    overwrite a table it reads). -#}
{% macro spark__set_run_status(manifest, status) %}
    {% do customer_segmentation.spark_rewrite_status(
        manifest, "case when run_id = '" ~ invocation_id ~ "' then '" ~ status ~ "' else status end"
    ) %}
{% endmacro %}

{#- Rewrites run_manifest on Spark with its status column replaced by `expression`. -#}
{% macro spark_rewrite_status(manifest, expression) %}
    {% set copy = api.Relation.create(schema=manifest.schema, identifier=manifest.identifier ~ '__status', type='table') %}
    {% set selected = [] %}
    {% for column in adapter.get_columns_in_relation(manifest) %}
        {% do selected.append(expression ~ ' as status' if column.name == 'status' else adapter.quote(column.name)) %}
    {% endfor %}
    {#- plain statements: Parquet tables cannot be replaced, and the copy is not in dbt's cache -#}
    {% do run_query("drop table if exists " ~ copy) %}
    {% do run_query("create table " ~ copy ~ " using parquet as select " ~ selected | join(', ') ~ " from " ~ manifest) %}
    {% do run_query("insert overwrite table " ~ manifest ~ " select * from " ~ copy) %}
    {% do run_query("drop table if exists " ~ copy) %}
{% endmacro %}
