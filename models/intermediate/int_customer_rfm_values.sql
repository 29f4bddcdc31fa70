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

per_customer as (

    -- one pass: refund lines count in value only, never as orders or purchase dates
    select
        customer_id,
        count(distinct case when not is_refund then order_id end) as frequency,
        min(case when not is_refund then cast(transacted_at as date) end) as first_purchase_date,
        max(case when not is_refund then cast(transacted_at as date) end) as last_purchase_date,
        sum(amount) as monetary_total,
        sum(case when is_refund then -amount else 0 end) as refund_total
    from transactions
    group by customer_id

),

rfm_values as (

    select
        customers.customer_id,
        per_customer.first_purchase_date,
        per_customer.last_purchase_date,
        {{ dbt.datediff('per_customer.last_purchase_date', 'reference_date.as_of_date', 'day') }}
            as recency_days,
        coalesce(per_customer.frequency, 0) as frequency,
        coalesce(per_customer.monetary_total, 0) as monetary_total,
        coalesce(per_customer.refund_total, 0) as refund_total,
        coalesce(
            {{ customer_segmentation.safe_divide('per_customer.monetary_total', 'per_customer.frequency') }},
            0
        ) as average_order_value,
        {{ dbt.datediff('per_customer.first_purchase_date', 'reference_date.as_of_date', 'day') }}
            as tenure_days,
        coalesce(per_customer.frequency, 0) > 0 as has_purchases
    from customers
    cross join reference_date
    left join per_customer
        on customers.customer_id = per_customer.customer_id

)

select * from rfm_values
