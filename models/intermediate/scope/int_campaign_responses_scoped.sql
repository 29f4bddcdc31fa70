{{ config(enabled=customer_segmentation.input_is_enabled('campaign_responses')) }}

with campaign_responses as (

    select * from {{ ref('stg_input__campaign_responses') }}

),

customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

scoped as (

    select
        campaign_responses.*,
        case
            when customers.customer_id is null then 'unknown_customer'
        end as exclusion_reason
    from campaign_responses
    left join customers
        on campaign_responses.customer_id = customers.customer_id

)

select * from scoped
