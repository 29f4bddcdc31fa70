{{ config(materialized='table', enabled=customer_segmentation.propensity_is_enabled()) }}
{#- One row per customer, contacted or not: the served propensity and the logistic
    baseline's, as probabilities (from the log-odds int_propensity_log_odds computes in
    SQL), and the three reason codes ml_propensity_reason_codes computes from the same
    registered model. -#}

with log_odds as (

    select * from {{ ref('int_propensity_log_odds') }}

),

reasons as (

    select * from {{ ref('ml_propensity_reason_codes') }}

),

final as (

    select
        log_odds.customer_id,
        log_odds.is_training,
        log_odds.has_responded,
        {{ customer_segmentation.expit('log_odds.served_log_odds') }} as propensity_score,
        {{ customer_segmentation.expit('log_odds.linear_log_odds') }} as baseline_score,
        {%- for rank in [1, 2, 3] %}
        reasons.reason_{{ rank }}_feature,
        reasons.reason_{{ rank }}_contribution{% if not loop.last %},{% endif %}
        {%- endfor %}
    from log_odds
    inner join reasons
        on log_odds.customer_id = reasons.customer_id

)

select * from final
