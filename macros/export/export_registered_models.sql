{#
    Writes the fit tables of the last build (the registered segmentation and propensity
    models, and the versions they were fitted with) to one Parquet file each in
    `directory` (default var registered_models_dir), for a build where dbt runs no
    Python models (var fit_in_python false) to score with:
    `dbt run-operation export_registered_models` on DuckDB after `dbt build`.
#}
{% macro export_registered_models(directory=none) %}
    {{ return(adapter.dispatch('export_registered_models', 'customer_segmentation')(directory)) }}
{% endmacro %}

{% macro default__export_registered_models(directory) %}
    {{ exceptions.raise_compiler_error(
        "export_registered_models runs on the DuckDB target that fitted the models (target type "
        ~ target.type ~ " here): run it with the target that ran `dbt build` in Python."
    ) }}
{% endmacro %}

{% macro duckdb__export_registered_models(directory) %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set directory = (directory or var('registered_models_dir')) | string | replace('\\', '/') %}
    {% set directory = directory[:-1] if directory.endswith('/') else directory %}
    {% set fits = [
        'ml_runtime_versions', 'ml_segment_preprocessing', 'ml_segment_model_selection',
        'ml_segment_centroids', 'ml_segment_feature_bins', 'ml_segment_pca',
        'ml_propensity_oof_predictions', 'ml_propensity_features', 'ml_propensity_model',
    ] %}
    {% set written = [] %}
    {% set missing = [] %}
    {% for name in fits %}
        {% set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) %}
        {% set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=name) if node else none %}
        {% if node is none %}
            {#- disabled in this project (e.g. propensity without campaign responses) -#}
        {% elif relation is none %}
            {% do missing.append(name) %}
        {% else %}
            {% do written.append((name, relation)) %}
        {% endif %}
    {% endfor %}
    {% if missing %}
        {{ exceptions.raise_compiler_error(
            "export_registered_models: " ~ missing | join(', ') ~ " not built yet: run `dbt build` "
            ~ "on this target first."
        ) }}
    {% endif %}
    {% for name, relation in written %}
        {% do run_query(
            "copy (select * from " ~ relation ~ ") to '"
            ~ (directory ~ '/' ~ name ~ '.parquet') | replace("'", "''") ~ "' (format parquet)"
        ) %}
    {% endfor %}
    {% do log(
        "export_registered_models: wrote " ~ written | length ~ " Parquet files to " ~ directory
        ~ ": " ~ written | map(attribute=0) | join(', '),
        info=True
    ) %}
    {{ return('') }}
{% endmacro %}
