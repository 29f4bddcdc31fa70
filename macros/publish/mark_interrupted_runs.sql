{#
    Pre-hook of run_manifest: a row still `built` when a new run starts belongs to a run
    that stopped before its end (killed, or the machine went down) and never published:
    it becomes `interrupted`.
    Arguments:
        relation: run_manifest itself ({{ this }}).
#}
{% macro mark_interrupted_runs(relation) %}
    {{ return(adapter.dispatch('mark_interrupted_runs', 'customer_segmentation')(relation)) }}
{% endmacro %}

{% macro default__mark_interrupted_runs(relation) %}
    {% if not execute or not customer_segmentation._has_status_column(relation) %}
        {{ return('') }}
    {% endif %}
    {{ return("update " ~ relation ~ " set status = 'interrupted' where status = 'built'") }}
{% endmacro %}

{#- Spark: the rewrite runs here (Parquet tables cannot update); the hook runs nothing. -#}
{% macro spark__mark_interrupted_runs(relation) %}
    {% if execute and customer_segmentation._has_status_column(relation) %}
        {% do customer_segmentation.spark_rewrite_status(
            relation, "case when status = 'built' then 'interrupted' else status end"
        ) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}

{#- Whether the relation exists and has a status column (run_manifest tables written
    before statuses existed gain it on their next append). -#}
{% macro _has_status_column(relation) %}
    {% set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) %}
    {% if existing is none %}
        {{ return(false) }}
    {% endif %}
    {% set names = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list %}
    {{ return('status' in names) }}
{% endmacro %}
