{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

transactions as (

    select * from {{ ref('int_transactions_scoped') }}
    where exclusion_reason is null

),

reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

rfm_values as (

    {{ customer_segmentation.customer_rfm_values('transactions', 'customers', 'reference_date') }}

)

select * from rfm_values
