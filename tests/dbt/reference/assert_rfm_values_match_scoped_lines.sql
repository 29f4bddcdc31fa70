-- int_customer_rfm_values applies the scope of int_transactions_scoped itself (it
-- aggregates staging lines before joining customers, for speed): both must agree on
-- which lines count, so their order counts and net values must match.
with scoped_lines as (

    select * from {{ ref('int_transactions_scoped') }}
    where exclusion_reason is null

),

rfm_values as (

    select * from {{ ref('int_customer_rfm_values') }}

),

orders as (

    select
        customer_id,
        order_id,
        count(case when not is_refund then 1 end) as purchase_lines,
        sum(amount) as order_value
    from scoped_lines
    group by customer_id, order_id

),

from_lines as (

    select
        count(case when purchase_lines > 0 then 1 end) as orders,
        coalesce(sum(order_value), 0) as monetary_total
    from orders

),

from_rfm as (

    select
        coalesce(sum(frequency), 0) as orders,
        coalesce(sum(monetary_total), 0) as monetary_total
    from rfm_values

)

select
    from_lines.orders as orders_in_scoped_lines,
    from_rfm.orders as orders_in_rfm_values,
    from_lines.monetary_total as value_in_scoped_lines,
    from_rfm.monetary_total as value_in_rfm_values
from from_lines
cross join from_rfm
where
    from_lines.orders != from_rfm.orders
    -- sums of the same amounts in another order differ only in rounding
    or abs(from_lines.monetary_total - from_rfm.monetary_total)
    > 0.01 + 0.000000001 * abs(from_lines.monetary_total)
