{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- The active propensity model's version (one row): the fit_fingerprint every
    ml_propensity_* table of the build carries (a hash of the configuration and the
    training rows), with its configuration. -#}

with model_rows as (

    select * from {{ ref('ml_propensity_model') }}

),

final as (

    select
        max(fit_fingerprint) as model_version,
        max(config_fingerprint) as config_fingerprint,
        max(configuration) as configuration
    from model_rows

)

select * from final
