{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- The next campaign's audience: the var campaign_target_budget customers with the
    highest propensity among those with marketing consent (ties by customer_id), but
    not the customers of a segment segment_recommendations holds back (a segment
    flagged for review while var fairness_strict is true). For an adverse outcome (var
    propensity_outcome direction adverse: churn, default) it is a retention list: the
    highest risk first, without the customers whose outcome has already occurred, each
    with the adverse play of seed outcome_playbook instead of the segment's. -#}
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{%- set is_adverse = outcome.direction == 'adverse' -%}
{#- the number of customers the campaign can contact -#}
{%- set budget = customer_segmentation.validated_number(
    var('campaign_target_budget'), 'var campaign_target_budget', 1, whole=true
) %}

with reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

scores as (

    select * from {{ ref('propensity_scores') }}

),

recommendations as (

    select * from {{ ref('segment_recommendations') }}

),

playbook as (

    select * from {{ ref('outcome_playbook') }}
    where outcome_direction = '{{ outcome.direction }}'

),

attributes as (

    select
        customer_id,
        has_marketing_consent
    from {{ ref('int_customer_attributes') }}

),

ranked as (

    select
        scores.customer_id,
        scores.segment_id,
        scores.propensity_score,
        scores.score_decile,
        scores.reason_1_feature,
        scores.reason_2_feature,
        scores.reason_3_feature,
        cast(row_number() over (order by scores.propensity_score desc, scores.customer_id asc) as {{ dbt.type_bigint() }}) as target_rank
    from scores
    inner join attributes
        on scores.customer_id = attributes.customer_id
    left join recommendations
        on scores.segment_id = recommendations.segment_id
    -- no consent, no contact: these customers are never targeted
    where
        attributes.has_marketing_consent
        -- nor, in fairness strict mode, the customers of a segment awaiting review
        and not coalesce(recommendations.is_held_back, false)
        {%- if is_adverse %}
        -- a retention list: a customer whose adverse outcome has occurred is past retaining
        and not coalesce(scores.has_responded, false)
        {%- endif %}

),

targeted as (

    select
        target_rank,
        customer_id,
        segment_id,
        propensity_score,
        score_decile,
        -- the score is a calibrated probability: its sum is the expected responders
        propensity_score as expected_conversions,
        sum(propensity_score) over (
            order by target_rank rows between unbounded preceding and current row
        ) as cumulative_expected_conversions,
        reason_1_feature,
        reason_2_feature,
        reason_3_feature
    from ranked
    where target_rank <= {{ budget }}

),

final as (

    select
        targeted.*,
        recommendations.segment_name,
        {%- if is_adverse %}
        -- the retention play of the outcome playbook, whatever the segment
        playbook.strategy as recommended_strategy,
        playbook.channel as recommended_channel,
        playbook.offer as recommended_offer,
        {%- else %}
        recommendations.strategy as recommended_strategy,
        recommendations.channel as recommended_channel,
        recommendations.offer as recommended_offer,
        {%- endif %}
        recommendations.review_status,
        playbook.list_purpose,
        playbook.outcome_direction,
        reference_date.as_of_date
    from targeted
    left join recommendations
        on targeted.segment_id = recommendations.segment_id
    cross join playbook
    cross join reference_date

)

select * from final
