{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{%- set contract = customer_segmentation.input_contract('credit_accounts') -%}
{#- the contract columns the base model kept: those the input has or maps -#}
{%- set built = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('base_input__credit_accounts')) -%}
        {%- do built.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif -%}

with credit_accounts as (

    select * from {{ ref('base_input__credit_accounts') }}
    where exclusion_reason is null

),

cleaned as (

    select
        customer_id,
        {%- for column in contract.required + contract.optional
            if column not in ['customer_id', 'credit_limit'] and (column in built or not execute) %}
        {{ column }},
        {%- endfor %}
        -- a zero or negative limit is no limit: utilization is left null (imputed later)
        case when credit_limit > 0 then credit_limit end as credit_limit,
        coalesce(credit_limit, 0) <= 0 as is_credit_limit_missing,
        {#- an input without the column has no minimum payments to miss -#}
        {%- if 'minimum_payments' in built or not execute %}
        minimum_payments is null as is_minimum_payments_missing
        {%- else %}
        false as is_minimum_payments_missing
        {%- endif %}
    from credit_accounts

)

select * from cleaned
