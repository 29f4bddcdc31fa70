{#
    The CTEs a version registry (segment_model_registry, propensity_model_registry)
    reads itself with: `registered` (model_version, fitted_at, activated_at of every
    version so far; none on the first build) and `latest` (the active version: the
    latest activated_at). The registry then appends the active version unless it is
    already the latest, keeping a re-activated version's first fitted_at.
    Arguments: none (it reads `this` on an incremental run).
#}
{% macro registered_versions() %}
    {{ return(adapter.dispatch('registered_versions', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__registered_versions() -%}
{% if is_incremental() %}
registered as (

    select
        model_version,
        fitted_at,
        activated_at
    from {{ this }}

),

last_activation as (

    select max(activated_at) as activated_at from registered

),

latest as (

    select registered.model_version
    from registered
    inner join last_activation
        on registered.activated_at = last_activation.activated_at

)
{%- else %}
registered as (

    -- first build: nothing registered yet
    select
        cast(null as {{ dbt.type_string() }}) as model_version,
        cast(null as {{ dbt.type_timestamp() }}) as fitted_at
    where 1 = 0

),

latest as (

    select registered.model_version from registered

)
{%- endif %}
{%- endmacro %}

{#- The incremental strategy of a version registry: delete+insert replaces a
    re-activated version's row. Spark's Parquet tables cannot delete, so there the
    registry appends, and spark__registered_versions refuses a re-activation. -#}
{% macro registry_incremental_strategy() %}
    {{ return(adapter.dispatch('registry_incremental_strategy', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__registry_incremental_strategy() %}
    {{ return('delete+insert') }}
{% endmacro %}

{% macro spark__registry_incremental_strategy() %}
    {{ return('merge' if config.get('file_format') in ['delta', 'iceberg', 'hudi'] else 'append') }}
{% endmacro %}

{% macro spark__registered_versions() -%}
    {%- if execute and is_incremental()
        and config.get('file_format') not in ['delta', 'iceberg', 'hudi'] -%}
        {%- set version_model = 'int_propensity_model_version' if this.identifier.startswith('propensity') else 'int_segment_model_version' -%}
        {%- set reactivated = run_query(
            'select count(*) from ' ~ this ~ ' where model_version = (select model_version from '
            ~ ref(version_model) ~ ') and activated_at < (select max(activated_at) from ' ~ this ~ ')'
        ).columns[0].values()[0] -%}
        {%- if reactivated -%}
            {{ exceptions.raise_compiler_error(
                this.identifier ~ ": the active model version was registered before and is active "
                ~ "again; replacing its row needs a table format that deletes (set file_format: "
                ~ "delta on the registries), which this Spark target's Parquet tables do not."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ customer_segmentation.default__registered_versions() }}
{%- endmacro %}
