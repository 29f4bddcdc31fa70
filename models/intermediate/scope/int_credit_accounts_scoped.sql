{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}

with credit_accounts as (

    select * from {{ ref('stg_input__credit_accounts') }}

),

customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

scoped as (

    select
        credit_accounts.*,
        case
            when customers.customer_id is null then 'unknown_customer'
        end as exclusion_reason
    from credit_accounts
    left join customers
        on credit_accounts.customer_id = customers.customer_id

)

select * from scoped
