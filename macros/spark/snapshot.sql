{#- dbt-spark's snapshot materialization, also for plain Parquet tables (a local Spark
    session has no Delta Lake): where the table format has no MERGE, the merge is one
    rewrite of the table from a copy (Spark cannot overwrite a table it reads). Delta,
    Iceberg and Hudi tables merge as in dbt-spark 1.11 (macros/materializations/snapshot.sql,
    the source of the rest of this file). -#}
{#- The copy a Parquet snapshot merge writes before it overwrites the snapshot. -#}
{% macro spark_parquet_snapshot_copy(target) -%}
    {{ return(api.Relation.create(identifier=target.identifier ~ '__dbt_merged', schema=target.schema, type='table')) }}
{%- endmacro %}

{% macro spark_parquet_snapshot_merge(target, source, insert_cols) -%}
    {%- set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() -%}
    {%- set merged = spark_parquet_snapshot_copy(target) -%}
    {%- set target_columns = adapter.get_columns_in_relation(target) -%}
    {%- set kept = [] -%}
    {%- for column in target_columns -%}
        {%- if column.name == columns.dbt_valid_to -%}
            {%- do kept.append('coalesce(closed.' ~ columns.dbt_valid_to ~ ', destination.' ~ columns.dbt_valid_to ~ ') as ' ~ columns.dbt_valid_to) -%}
        {%- else -%}
            {%- do kept.append('destination.' ~ adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set inserted = [] -%}
    {%- for column in target_columns -%}
        {%- do inserted.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {% do run_query('drop table if exists ' ~ merged) %}
    {% call statement('snapshot_merged') %}
        create table {{ merged }} using parquet as
        select {{ kept | join(', ') }}
        from {{ target }} as destination
        left join (
            select {{ columns.dbt_scd_id }}, {{ columns.dbt_valid_to }}
            from {{ source }}
            where dbt_change_type in ('update', 'delete')
        ) as closed
            on destination.{{ columns.dbt_scd_id }} = closed.{{ columns.dbt_scd_id }}
            and destination.{{ columns.dbt_valid_to }} is null
        union all
        select {{ inserted | join(', ') }}
        from {{ source }}
        where dbt_change_type = 'insert'
    {% endcall %}
    insert overwrite table {{ target }} select * from {{ merged }};
{%- endmacro %}

{% materialization snapshot, adapter='spark' %}

  {%- set target_table = model.get('alias', model.get('name')) -%}

  {%- set strategy_name = config.get('strategy') -%}
  {%- set file_format = config.get('file_format') or 'parquet' -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set merges = file_format in ['delta', 'iceberg', 'hudi'] -%}

  {% set target_relation_exists, target_relation = get_or_create_relation(
          database=none,
          schema=model.schema,
          identifier=target_table,
          type='table') -%}

  {%- if target_relation_exists and merges -%}
    {%- if not target_relation.is_delta and not target_relation.is_iceberg and not target_relation.is_hudi -%}
      {% do exceptions.raise_compiler_error(
        "The existing table " ~ model.schema ~ "." ~ target_table ~ " is not " ~ file_format
        ~ ": drop it, or snapshot with the file_format it was written in."
      ) %}
    {% endif %}
  {% endif %}

  {% if not adapter.check_schema_exists(model.database, model.schema) %}
    {% do create_schema(model.schema) %}
  {% endif %}

  {%- if not target_relation.is_table -%}
    {% do exceptions.relation_wrong_type(target_relation, 'table') %}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}

  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% set strategy_macro = strategy_dispatch(strategy_name) %}
  {% set strategy = strategy_macro(model, "snapshotted_data", "source_data", model['config'], target_relation_exists) %}

  {% if not target_relation_exists %}

      {% set build_sql = build_snapshot_table(strategy, model['compiled_code']) %}
      {% set final_sql = create_table_as(False, target_relation, build_sql) %}

  {% else %}

      {% set columns = config.get("snapshot_table_column_names") or get_snapshot_table_column_names() %}

      {{ adapter.valid_snapshot_target(target_relation, columns) }}

      {% set staging_table = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}

      {% do adapter.expand_target_column_types(from_relation=staging_table,
                                               to_relation=target_relation) %}

      {% set missing_columns = adapter.get_missing_columns(staging_table, target_relation)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% do create_columns(target_relation, missing_columns) %}

      {% set source_columns = adapter.get_columns_in_relation(staging_table)
                                   | rejectattr('name', 'equalto', 'dbt_change_type')
                                   | rejectattr('name', 'equalto', 'DBT_CHANGE_TYPE')
                                   | rejectattr('name', 'equalto', 'dbt_unique_key')
                                   | rejectattr('name', 'equalto', 'DBT_UNIQUE_KEY')
                                   | list %}

      {% set quoted_source_columns = [] %}
      {% for column in source_columns %}
        {% do quoted_source_columns.append(adapter.quote(column.name)) %}
      {% endfor %}

      {% if merges %}
        {% set final_sql = snapshot_merge_sql(
              target = target_relation,
              source = staging_table,
              insert_cols = quoted_source_columns
           )
        %}
      {% else %}
        {% set final_sql = customer_segmentation.spark_parquet_snapshot_merge(
              target = target_relation,
              source = staging_table,
              insert_cols = quoted_source_columns
           )
        %}
      {% endif %}

  {% endif %}

  {% call statement('main') %}
      {{ final_sql }}
  {% endcall %}

  {% if not merges and staging_table is defined %}
      {% do run_query('drop table if exists ' ~ spark_parquet_snapshot_copy(target_relation)) %}
  {% endif %}

  {% set should_revoke = should_revoke(target_relation_exists, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke) %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {{ adapter.commit() }}

  {% if staging_table is defined %}
      {% do post_snapshot(staging_table) %}
  {% endif %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
