{#
    Raw RFM values per customer at a reference date, in one aggregation pass: the one
    definition behind int_customer_rfm_values (at as_of_date) and
    int_customer_rfm_at_campaign (at the target campaign's contact date). Refund lines
    count in value only, never as orders or purchase dates.
    Arguments:
        transactions:   relation or CTE of valid transaction lines already limited to
                        before the reference date (customer_id, order_id, transacted_at,
                        amount, is_refund).
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
        select
            customer_id,
            count(distinct case when not is_refund then order_id end) as frequency,
            min(case when not is_refund then cast(transacted_at as date) end) as first_purchase_date,
            max(case when not is_refund then cast(transacted_at as date) end) as last_purchase_date,
            sum(amount) as monetary_total,
            sum(case when is_refund then -amount else 0 end) as refund_total
        from {{ transactions }}
        group by customer_id
    ) as per_customer
        on customers.customer_id = per_customer.customer_id
{% endmacro %}
