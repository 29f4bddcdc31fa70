{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{%- set contract = customer_segmentation.input_contract('credit_accounts') -%}

with credit_accounts as (

    select * from {{ ref('base_input__credit_accounts') }}
    where exclusion_reason is null

),

cleaned as (

    select
        customer_id,
        {%- for column in contract.required + contract.optional if column not in ['customer_id', 'credit_limit'] %}
        {{ column }},
        {%- endfor %}
        -- a zero or negative limit is no limit: utilization is left null (imputed later)
        case when credit_limit > 0 then credit_limit end as credit_limit,
        coalesce(credit_limit, 0) <= 0 as is_credit_limit_missing,
        minimum_payments is null as is_minimum_payments_missing
    from credit_accounts

)

select * from cleaned
