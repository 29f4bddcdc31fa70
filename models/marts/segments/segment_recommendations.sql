{#- A segment where a group is over- or under-represented under the fairness rule
    (segment_fairness.is_parity_flagged: never on a small group) needs review; under
    var fairness_strict its consenting customers are held back from campaign_targets. -#}
{%- set strict = var('fairness_strict', false) -%}

with reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

attributes as (

    select * from {{ ref('int_customer_attributes') }}

),

playbook as (

    select * from {{ ref('segment_playbook') }}

),

fairness as (

    select * from {{ ref('segment_fairness') }}

),

parity_flags as (

    select
        segment_id,
        {{ dbt.listagg(
            dbt.concat(['attribute_name', "'.'", 'group_name']),
            "', '",
            'order by attribute_name, group_name',
        ) }} as review_reason
    from fairness
    where is_parity_flagged
    group by segment_id

),

audiences as (

    select
        scores.segment_id,
        count(*) as customers,
        cast(sum(case when attributes.has_marketing_consent then 1 else 0 end) as {{ dbt.type_bigint() }})
            as audience_size
    from scores
    left join attributes
        on scores.customer_id = attributes.customer_id
    group by scores.segment_id

),

final as (

    select
        names.segment_id,
        names.segment_name,
        names.archetype,
        playbook.archetype as playbook_key,
        playbook.strategy,
        playbook.channel,
        playbook.offer,
        playbook.kpi,
        audiences.customers,
        audiences.audience_size,
        case when parity_flags.segment_id is null then 'approved' else 'needs_review' end as review_status,
        -- the flagged groups, for the reviewer: 'age_band.under 25, gender.unknown'
        {{ dbt.concat(["'demographic_parity: '", 'parity_flags.review_reason']) }} as review_reason,
        {{ 'parity_flags.segment_id is not null' if strict else 'false' }} as is_held_back,
        case
            when {{ 'parity_flags.segment_id is not null' if strict else 'false' }}
                then audiences.audience_size
            else 0
        end as held_back_customers,
        reference_date.as_of_date
    from names
    inner join audiences
        on names.segment_id = audiences.segment_id
    left join parity_flags
        on names.segment_id = parity_flags.segment_id
    left join playbook
        on coalesce(names.archetype, 'default') = playbook.archetype
    cross join reference_date

)

select * from final
