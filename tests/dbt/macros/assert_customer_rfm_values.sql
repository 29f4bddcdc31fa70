-- Literal rows through customer_rfm_values: a refund nets into value but is neither an
-- order nor a purchase date; a customer without lines gets frequency 0 and null recency.
{% set lines = [
    ("'O1'", "'2025-01-01 10:00:00'", '10.0', 'false'),
    ("'O1'", "'2025-01-01 10:00:00'", '5.0', 'false'),
    ("'O2'", "'2025-01-21 10:00:00'", '25.0', 'false'),
    ("'R1'", "'2025-01-25 10:00:00'", '-4.0', 'true'),
] %}
{% set expected = [
    ("'A'", '11', '2', '36.0', '4.0', '18.0', '31', 'true'),
    ("'B'", 'null', '0', '0.0', '0.0', '0.0', 'null', 'false'),
] %}

with transactions as (

    {%- for order_id, transacted_at, amount, is_refund in lines %}
    select
        'A' as customer_id,
        {{ order_id }} as order_id,
        cast({{ transacted_at }} as timestamp) as transacted_at,
        cast({{ amount }} as double) as amount,
        {{ is_refund }} as is_refund
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

customers as (

    select 'A' as customer_id
    union all
    select 'B' as customer_id

),

reference_date as (

    select cast('2025-02-01' as date) as as_of_date

),

computed as (

    {{ customer_segmentation.customer_rfm_values('transactions', 'customers', 'reference_date') }}

),

expected as (

    {%- for row in expected %}
    select
        {{ row[0] }} as customer_id,
        cast({{ row[1] }} as integer) as recency_days,
        {{ row[2] }} as frequency,
        {{ row[3] }} as monetary_total,
        {{ row[4] }} as refund_total,
        {{ row[5] }} as average_order_value,
        cast({{ row[6] }} as integer) as tenure_days,
        {{ row[7] }} as has_purchases
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select
    expected.customer_id,
    computed.recency_days,
    computed.frequency,
    computed.monetary_total
from expected
left join computed
    on expected.customer_id = computed.customer_id
where
    computed.customer_id is null
    or computed.recency_days is distinct from expected.recency_days
    or computed.frequency != expected.frequency
    or computed.monetary_total != expected.monetary_total
    or computed.refund_total != expected.refund_total
    or computed.average_order_value != expected.average_order_value
    or computed.tenure_days is distinct from expected.tenure_days
    or computed.has_purchases != expected.has_purchases
