{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}
{#- The lines counted are the ones int_transactions_scoped keeps: one definition of the
    scope, shared with int_customer_rfm_at_campaign and data_quality (reading the view
    costs less than a second scope here and the test that kept it equal:
    docs/benchmarks.md). -#}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

transactions as (

    select * from {{ ref('int_transactions_scoped') }}
    where exclusion_reason is null

),

rfm_values as (

    {{ customer_segmentation.customer_rfm_values('transactions', 'customers', 'reference_date') }}

)

select * from rfm_values
