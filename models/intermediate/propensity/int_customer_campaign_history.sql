{{ config(enabled=customer_segmentation.input_is_enabled('campaign_responses')) }}
{#- One row per customer: what happened in campaigns contacted strictly before the
    target campaign's contact date (never the target campaign, never a later one); for a
    customers outcome (var propensity_outcome), before the as_of_date. -#}
{%- set from_campaign = customer_segmentation.propensity_outcome().source == 'campaign_responses' -%}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

target_campaign as (

    select * from {{ ref('int_propensity_campaign') }}

),

earlier_responses as (

    select responses.*
    from {{ ref('int_campaign_responses_scoped') }} as responses
    cross join target_campaign
    where
        responses.exclusion_reason is null
        {%- if from_campaign %}
        and responses.campaign_id != target_campaign.campaign_id
        {%- endif %}
        and responses.contacted_date < target_campaign.contacted_date

),

latest_contact as (

    select
        customer_id,
        has_responded,
        row_number() over (
            partition by customer_id order by contacted_date desc, campaign_id desc
        ) as contact_rank
    from earlier_responses

),

per_customer as (

    select
        customer_id,
        count(*) as campaigns_contacted,
        cast(sum(case when has_responded then 1 else 0 end) as {{ dbt.type_bigint() }}) as campaigns_accepted
    from earlier_responses
    group by customer_id

),

history as (

    select
        customers.customer_id,
        coalesce(per_customer.campaigns_contacted, 0) as previous_campaigns_contacted,
        coalesce(per_customer.campaigns_accepted, 0) as previous_campaigns_accepted,
        -- 1 responded, 0 did not, null never contacted before
        case
            when latest_contact.has_responded then 1
            when not latest_contact.has_responded then 0
        end as last_campaign_responded
    from customers
    left join per_customer
        on customers.customer_id = per_customer.customer_id
    left join latest_contact
        on
            customers.customer_id = latest_contact.customer_id
            and latest_contact.contact_rank = 1

)

select * from history
