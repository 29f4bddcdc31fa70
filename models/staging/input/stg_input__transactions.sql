{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}

with transactions as (

    select * from {{ ref('base_input__transactions') }}
    where exclusion_reason is null

),

refunds_marked as (

    select
        *,
        -- a line is a refund when the input says so or its amount is negative
        coalesce(is_refund_given, false) or amount < 0 as is_refund
    from transactions

),

cleaned as (

    select
        customer_id,
        -- lines without an order id: one order per customer and timestamp
        coalesce(
            order_id,
            {{ dbt.concat(["customer_id", "'@'", dbt.safe_cast("transacted_at", dbt.type_string())]) }}
        ) as order_id,
        transacted_at,
        quantity,
        unit_price,
        -- refunds are netted into monetary value, so they always count negative
        case when is_refund then -abs(amount) else amount end as amount,
        is_refund,
        is_refund and amount > 0 as is_refund_sign_corrected,
        -- a negative amount the input does not flag as a refund is read as one (counted)
        amount < 0 and not coalesce(is_refund_given, false) as is_negative_amount_unflagged
    from refunds_marked

)

select * from cleaned
