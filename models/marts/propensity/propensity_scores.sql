{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}

with reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

scores as (

    select * from {{ ref('int_propensity_scores') }}

),

oof_predictions as (

    select * from {{ ref('ml_propensity_oof_predictions') }}
    where is_served

),

segments as (

    select
        customer_id,
        segment_id
    from {{ ref('customer_segments') }}

),

final as (

    select
        scores.customer_id,
        segments.segment_id,
        scores.propensity_score,
        cast(ntile(10) over (order by scores.propensity_score desc, scores.customer_id asc) as {{ dbt.type_bigint() }}) as score_decile,
        scores.baseline_score,
        scores.reason_1_feature,
        scores.reason_1_contribution,
        scores.reason_2_feature,
        scores.reason_2_contribution,
        scores.reason_3_feature,
        scores.reason_3_contribution,
        scores.is_training,
        scores.has_responded,
        oof_predictions.customer_id is not null as is_evaluated,
        oof_predictions.oof_score,
        reference_date.as_of_date
    from scores
    left join segments
        on scores.customer_id = segments.customer_id
    left join oof_predictions
        on scores.customer_id = oof_predictions.customer_id
    cross join reference_date

)

select * from final
