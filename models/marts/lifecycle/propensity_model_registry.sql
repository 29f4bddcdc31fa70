{#- One row per propensity model version: appended when the active version is new;
    when an earlier version becomes active again (a retrain that reproduces it) its
    row is replaced with a new activated_at and its first fitted_at kept, as
    segment_model_registry does. full_refresh is off: the history survives
    `dbt build --full-refresh`. -#}
{{ config(
    materialized='incremental',
    unique_key='model_version',
    incremental_strategy=customer_segmentation.registry_incremental_strategy(),
    full_refresh=false,
    enabled=customer_segmentation.propensity_is_enabled(),
) }}

with model_version as (

    select * from {{ ref('int_propensity_model_version') }}

),

model_rows as (

    select * from {{ ref('ml_propensity_model') }}

),

constants as (

    select
        served_model,
        logistic_weight
    from model_rows
    where part = 'constant'

),

model_summary as (

    select
        sum(case when part = 'column' then 1 else 0 end) as column_count,
        count(distinct case when part = 'tree_node' then tree_index end) as tree_count
    from model_rows

),

served_metrics as (

    select
        customers as evaluated_customers,
        contacted_customers,
        roc_auc,
        average_precision,
        outcome_name
    from {{ ref('propensity_metrics') }}
    where is_served and scope = 'all'

),

{{ customer_segmentation.registered_versions() }},

final as (

    select
        model_version.model_version,
        coalesce(registered.fitted_at, {{ dbt.current_timestamp() }}) as fitted_at,
        {{ dbt.current_timestamp() }} as activated_at,
        served_metrics.outcome_name,
        constants.served_model,
        constants.logistic_weight,
        model_summary.column_count,
        model_summary.tree_count,
        served_metrics.contacted_customers,
        served_metrics.evaluated_customers,
        served_metrics.roc_auc,
        served_metrics.average_precision,
        model_version.config_fingerprint,
        model_version.configuration
    from model_version
    cross join constants
    cross join model_summary
    cross join served_metrics
    left join registered
        on model_version.model_version = registered.model_version
    where model_version.model_version not in (select latest.model_version from latest)

)

select * from final
