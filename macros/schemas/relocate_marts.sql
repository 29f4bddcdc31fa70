{#
    On-run-start hook of `dbt build` and `dbt run`: a project model built in a schema of
    its own (the marts) may still sit in the target schema, where builds before that
    schema put it. An incremental one (run_manifest, the model registries: state that
    must survive) is copied to its schema, unless already there, before any model reads
    it; then the old copy is dropped, so BI users see each mart once. A drop never loses
    state: an incremental model found in both schemas is left alone, with a warning.
#}
{% macro relocate_marts() %}
    {{ return(adapter.dispatch('relocate_marts', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__relocate_marts() %}
    {% if not execute or flags.WHICH not in ['build', 'run'] %}
        {{ return('') }}
    {% endif %}
    {% set moved = [] %}
    {% for node in graph.nodes.values() | sort(attribute='name') %}
        {% if node.resource_type == 'model' and node.package_name == project_name
            and node.config.enabled and node.schema != target.schema %}
            {% set identifier = node.alias or node.name %}
            {% set old = adapter.get_relation(database=node.database, schema=target.schema, identifier=identifier) %}
            {% set new = adapter.get_relation(database=node.database, schema=node.schema, identifier=identifier) %}
            {% set keeps_state = node.config.materialized == 'incremental' %}
            {% if old is not none and keeps_state and new is not none %}
                {% do exceptions.warn(
                    "relocate_marts: " ~ old ~ " and " ~ new ~ " both exist; the build uses "
                    ~ new ~ " and leaves " ~ old ~ " alone. Drop " ~ old ~ " once its rows are not needed."
                ) %}
            {% elif old is not none %}
                {% if keeps_state %}
                    {% set relation = api.Relation.create(
                        database=node.database, schema=node.schema, identifier=identifier, type='table'
                    ) %}
                    {% do adapter.create_schema(relation) %}
                    {% do run_query(get_create_table_as_sql(false, relation, 'select * from ' ~ old)) %}
                    {#- dbt listed the relations before this hook: tell its cache, so the
                        incremental model appends to this table instead of creating one -#}
                    {% do adapter.cache_added(relation) %}
                {% endif %}
                {% do adapter.drop_relation(old) %}
                {% do moved.append(identifier) %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {% if moved %}
        {% do adapter.commit() %}
        {% do log(
            "relocate_marts: " ~ moved | length ~ " mart(s) moved out of schema " ~ target.schema
            ~ " (their state kept: registries, run_manifest): " ~ moved | join(', '),
            info=True
        ) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
