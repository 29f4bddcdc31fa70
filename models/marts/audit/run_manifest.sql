{#- One row per build: how it ended (status), what ran (dbt, Python packages, the
    configuration and its hash, the random seeds) on what (input row counts and
    order-independent content hashes) and what it produced (chosen k, a hash of the
    fitted segmentation model and of the assignments). Appended on every build, so the
    table is the build history. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ customer_segmentation.mark_interrupted_runs(this) }}",
) }}
{%- set inputs = ['customers', 'transactions', 'credit_accounts', 'campaign_responses'] -%}
{#- the editable reference seeds: add a new one here -#}
{%- set reference_seeds = ['rfm_segment_map', 'data_quality_rules', 'segment_playbook', 'outcome_playbook'] -%}
{%- set has_propensity = customer_segmentation.propensity_is_enabled() -%}
{%- set meta = model.config.meta if execute else {} -%}
{%- set configuration = customer_segmentation.run_configuration(
    meta.get('configuration_vars', []), exclude_nodes=[model.name, 'published_marts']
) -%}
{%- set configuration_json = tojson({'vars': configuration.vars, 'model_meta': configuration.model_meta}, sort_keys=true) -%}
{%- set string_type = dbt.type_string() -%}

with
{%- for input in inputs %}

{{ input }}_input as (

    {%- if customer_segmentation.input_is_enabled(input) %}
    {%- set relation = ref('base_input__' ~ input) %}

    select
        cast(sum(row_copies) as {{ dbt.type_bigint() }}) as row_count,
        {{ customer_segmentation.unordered_hash(relation) }} as content_hash
    from {{ relation }}
    {%- else %}

    -- input switched off (var optional_inputs)
    select
        cast(null as {{ dbt.type_bigint() }}) as row_count,
        cast(null as {{ string_type }}) as content_hash
    {%- endif %}

),
{%- endfor %}
{%- for seed in reference_seeds %}

{{ seed }}_reference as (

    select {{ customer_segmentation.unordered_hash(ref(seed)) }} as content_hash
    from {{ ref(seed) }}

),
{%- endfor %}

-- fitted parameters at 10 significant digits: numpy's float sums can differ in the
-- last bit from run to run, which is not a different model
preprocessing as (

    select {{ customer_segmentation.unordered_hash(ref('ml_segment_preprocessing'), float_digits=10) }} as content_hash
    from {{ ref('ml_segment_preprocessing') }}

),

centroids as (

    select {{ customer_segmentation.unordered_hash(ref('ml_segment_centroids'), float_digits=10) }} as content_hash
    from {{ ref('ml_segment_centroids') }}

),

model_selection as (

    select max(k) as chosen_k
    from {{ ref('ml_segment_model_selection') }}
    where is_chosen

),

assignments as (

    select
        {{ customer_segmentation.unordered_hash(
            ref('customer_segments'), ['customer_id', 'segment_id']
        ) }} as content_hash
    from {{ ref('customer_segments') }}

),

-- the propensity model: its out-of-fold predictions and served scores, rounded alike
{%- for table in ['ml_propensity_oof_predictions', 'int_propensity_scores'] %}
{{ table }}_hash as (

    {%- if has_propensity %}
    select {{ customer_segmentation.unordered_hash(ref(table), float_digits=10) }} as content_hash
    from {{ ref(table) }}
    {%- else %}

    -- input campaign_responses switched off: no propensity model
    select cast(null as {{ string_type }}) as content_hash
    {%- endif %}

),
{%- endfor %}

versions as (

    select
        max(case when package_name = 'python' then version end) as python_version,
        max(case when package_name = 'duckdb' then version end) as duckdb_version,
        max(case when package_name = 'scikit-learn' then version end) as scikit_learn_version,
        max(case when package_name = 'pandas' then version end) as pandas_version,
        max(case when package_name = 'numpy' then version end) as numpy_version,
        max(case when package_name = 'dbt-duckdb' then version end) as dbt_adapter_version,
        max(case when package_name = 'customer-segmentation' then version end) as project_version
    from {{ ref('ml_runtime_versions') }}

),

final as (

    select
        cast('{{ invocation_id }}' as {{ string_type }}) as run_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
            as run_started_at,
        -- published_marts and the on-run-end hook record_run_status move it on
        cast('built' as {{ string_type }}) as status,
        cast('{{ dbt_version }}' as {{ string_type }}) as dbt_version,
        cast('{{ target.type }}' as {{ string_type }}) as adapter_type,
        versions.dbt_adapter_version,
        versions.python_version,
        versions.duckdb_version,
        versions.scikit_learn_version,
        versions.pandas_version,
        versions.numpy_version,
        versions.project_version,
        cast('{{ local_md5(configuration_json) }}' as {{ string_type }}) as configuration_hash,
        cast('{{ configuration_json | replace("'", "''") }}' as {{ string_type }}) as configuration,
        cast('{{ tojson(configuration.random_seeds, sort_keys=true) | replace("'", "''") }}' as {{ string_type }})
            as random_seeds,
        {%- for input in inputs %}
        {{ input }}_input.row_count as {{ input }}_row_count,
        {{ input }}_input.content_hash as {{ input }}_content_hash,
        {%- endfor %}
        {%- set reference_parts = [] -%}
        {%- for seed in reference_seeds -%}
            {%- do reference_parts.append(seed ~ '_reference.content_hash') -%}
        {%- endfor %}
        {{ dbt.hash(dbt.concat(reference_parts)) }} as reference_tables_hash,
        model_selection.chosen_k,
        {{ dbt.hash(dbt.concat(['preprocessing.content_hash', 'centroids.content_hash'])) }}
            as segment_model_hash,
        assignments.content_hash as segment_assignment_hash,
        {%- if has_propensity %}
        {{ dbt.hash(dbt.concat([
            'ml_propensity_oof_predictions_hash.content_hash', 'int_propensity_scores_hash.content_hash'
        ])) }} as propensity_model_hash
        {%- else %}
        cast(null as {{ string_type }}) as propensity_model_hash
        {%- endif %}
    from versions
    {%- for input in inputs %}
    cross join {{ input }}_input
    {%- endfor %}
    {%- for seed in reference_seeds %}
    cross join {{ seed }}_reference
    {%- endfor %}
    cross join preprocessing
    cross join centroids
    cross join model_selection
    cross join assignments
    cross join ml_propensity_oof_predictions_hash
    cross join int_propensity_scores_hash

)

select * from final
