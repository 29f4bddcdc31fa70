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

purchases as (

    select
        customer_id,
        count(distinct order_id) as frequency,
        min(cast(transacted_at as date)) as first_purchase_date,
        max(cast(transacted_at as date)) as last_purchase_date
    from transactions
    where not is_refund
    group by customer_id

),

net_value as (

    select
        customer_id,
        sum(amount) as monetary_total,
        sum(case when is_refund then -amount else 0 end) as refund_total
    from transactions
    group by customer_id

),

rfm_values as (

    select
        customers.customer_id,
        purchases.first_purchase_date,
        purchases.last_purchase_date,
        {{ dbt.datediff('purchases.last_purchase_date', 'reference_date.as_of_date', 'day') }}
            as recency_days,
        coalesce(purchases.frequency, 0) as frequency,
        coalesce(net_value.monetary_total, 0) as monetary_total,
        coalesce(net_value.refund_total, 0) as refund_total,
        coalesce(
            {{ customer_segmentation.safe_divide('net_value.monetary_total', 'purchases.frequency') }},
            0
        ) as average_order_value,
        {{ dbt.datediff('purchases.first_purchase_date', 'reference_date.as_of_date', 'day') }}
            as tenure_days,
        purchases.customer_id is not null as has_purchases
    from customers
    cross join reference_date
    left join purchases
        on customers.customer_id = purchases.customer_id
    left join net_value
        on customers.customer_id = net_value.customer_id

)

select * from rfm_values
