{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}

with transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

amount_limit as (

    select amount_limit from {{ ref('int_transaction_amount_limit') }}

),

scoped as (

    select
        transactions.*,
        case
            when customers.customer_id is null then 'unknown_customer'
            -- a derived as_of_date follows the last line not dated in the future; a
            -- configured one decides alone
            when not reference_date.is_as_of_date_configured
                and cast(transactions.transacted_at as date) > reference_date.run_date
                then 'dated_after_run_date'
            -- as_of_date is the first day not observed
            when cast(transactions.transacted_at as date) >= reference_date.as_of_date
                then 'after_as_of_date'
            when abs(transactions.amount) > amount_limit.amount_limit then 'extreme_amount'
        end as exclusion_reason
    from transactions
    cross join reference_date
    cross join amount_limit
    left join customers
        on transactions.customer_id = customers.customer_id

)

select * from scoped
