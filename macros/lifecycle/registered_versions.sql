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
