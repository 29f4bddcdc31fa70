{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}
{#- The lines counted are the ones int_transactions_scoped keeps: a known customer and
    a date before as_of_date. They are read from staging and aggregated before the join
    with customers, so that join sees one row per customer instead of one per line (the
    costly step at millions of lines); a line of an unknown customer finds no customer
    there and drops out, as int_transactions_scoped excludes it. The singular test
    assert_rfm_values_match_scoped_lines checks that both give the same totals. -#}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

transactions as (

    select lines.*
    from {{ ref('stg_input__transactions') }} as lines
    cross join reference_date
    -- as_of_date is the first day not observed
    where cast(lines.transacted_at as date) < reference_date.as_of_date

),

per_order as (

    -- refund lines count in value only, never as orders or purchase dates
    select
        customer_id,
        order_id,
        count(case when not is_refund then 1 end) as purchase_lines,
        min(case when not is_refund then cast(transacted_at as date) end) as first_purchase_date,
        max(case when not is_refund then cast(transacted_at as date) end) as last_purchase_date,
        sum(amount) as monetary_total,
        sum(case when is_refund then -amount else 0 end) as refund_total
    from transactions
    group by customer_id, order_id

),

per_customer as (

    -- an order counts once, when at least one of its lines is a purchase
    select
        customer_id,
        count(case when purchase_lines > 0 then 1 end) as frequency,
        min(first_purchase_date) as first_purchase_date,
        max(last_purchase_date) as last_purchase_date,
        sum(monetary_total) as monetary_total,
        sum(refund_total) as refund_total
    from per_order
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
