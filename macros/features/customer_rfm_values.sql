{#
    Raw RFM values per customer at a reference date, aggregated per order, then per
    customer, then joined to the customers (one row each): the one definition behind int_customer_rfm_values (at as_of_date) and
    int_customer_rfm_at_campaign (at the target campaign's contact date). Refund lines
    count in value only, never as orders or purchase dates. Amounts are summed as
    dbt.type_numeric() (exact, to 6 decimals on most warehouses) so two builds of the same
    input give bit-identical values.
    Arguments:
        transactions:   relation or CTE of valid transaction lines already limited to
                        before the reference date (customer_id, order_id, transacted_at,
                        amount, is_refund); lines of customers not in customers drop
                        out at the join.
        customers:      relation or CTE with one row per customer (customer_id).
        reference_date: relation or CTE with one row and the column as_of_date.
#}
{% macro customer_rfm_values(transactions, customers, reference_date) %}
    {{ return(adapter.dispatch('customer_rfm_values', 'customer_segmentation')(
        transactions, customers, reference_date
    )) }}
{% endmacro %}

{% macro default__customer_rfm_values(transactions, customers, reference_date) %}
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
    from {{ customers }} as customers
    cross join {{ reference_date }} as reference_date
    left join (
        -- an order counts once, when at least one of its lines is a purchase
        select
            customer_id,
            count(case when purchase_lines > 0 then 1 end) as frequency,
            min(first_purchase_date) as first_purchase_date,
            max(last_purchase_date) as last_purchase_date,
            -- exact sums, then double: a parallel sum of doubles differs in the last
            -- bits from build to build, and the same input must give the same features
            cast(sum(monetary_total) as {{ customer_segmentation.type_double() }}) as monetary_total,
            cast(sum(refund_total) as {{ customer_segmentation.type_double() }}) as refund_total
        from (
            -- per order first: the customer aggregation then reads one row per order
            select
                customer_id,
                order_id,
                count(case when not is_refund then 1 end) as purchase_lines,
                min(case when not is_refund then cast(transacted_at as date) end)
                    as first_purchase_date,
                max(case when not is_refund then cast(transacted_at as date) end)
                    as last_purchase_date,
                sum(cast(amount as {{ dbt.type_numeric() }})) as monetary_total,
                sum(case when is_refund then -cast(amount as {{ dbt.type_numeric() }}) else 0 end)
                    as refund_total
            from {{ transactions }}
            group by customer_id, order_id
        ) as per_order
        group by customer_id
    ) as per_customer
        on customers.customer_id = per_customer.customer_id
{% endmacro %}
