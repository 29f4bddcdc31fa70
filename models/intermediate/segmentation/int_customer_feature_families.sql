{#- Which feature families each customer has, and whether the K-Means model fits and
    scores them (macro missing_family_segment). A customer without any transaction still
    has the RFM family: zero orders and zero spend are observed values, and "never
    bought" is a recency (imputed as the longest), not a missing one. A customer without
    a credit account has no balance, limit or utilization at all: under var
    segment_missing_family own_segment (the default) they are not clustered but get
    a segment of their own; under impute they are clustered on imputed values and the
    profiles show the share. -#}
{%- set has_rfm = customer_segmentation.input_is_enabled('transactions') -%}
{%- set has_credit = customer_segmentation.input_is_enabled('credit_accounts') -%}
{%- set own_segment = customer_segmentation.missing_family_segment() -%}
{#- null: the input is off, so nobody is known to have or lack the family -#}
{%- set has_purchases = 'coalesce(rfm.has_purchases, false)' if has_rfm
    else 'cast(null as ' ~ dbt.type_boolean() ~ ')' -%}
{%- set has_credit_account = 'utilization.customer_id is not null' if has_credit
    else 'cast(null as ' ~ dbt.type_boolean() ~ ')' -%}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

{% if has_rfm -%}
rfm as (

    select
        customer_id,
        has_purchases
    from {{ ref('int_customer_rfm') }}

),

{% endif -%}
{% if has_credit -%}
utilization as (

    select customer_id from {{ ref('int_customer_utilization') }}

),

{% endif -%}
families as (

    select
        customers.customer_id,
        {{ has_purchases }} as has_purchases,
        {{ has_credit_account }} as has_credit_account
    from customers
    {%- if has_rfm %}
    left join rfm
        on customers.customer_id = rfm.customer_id
    {%- endif %}
    {%- if has_credit %}
    left join utilization
        on customers.customer_id = utilization.customer_id
    {%- endif %}

),

final as (

    select
        customer_id,
        has_purchases,
        has_credit_account,
        {%- if own_segment %}
        case when not {{ own_segment.flag }} then '{{ own_segment.family }}' end as missing_feature_family,
        {{ own_segment.flag }} as is_clustered
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as missing_feature_family,
        true as is_clustered
        {%- endif %}
    from families

)

select * from final
