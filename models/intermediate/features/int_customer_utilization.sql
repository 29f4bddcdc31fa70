{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{#- Several accounts of one customer are added up (amounts, counts) or averaged
    (frequencies and ratios in [0, 1]). Every ratio goes through safe_divide:
    a zero or null denominator gives null (imputed by the segmentation model's
    documented rule), never inf or NaN. Only balance and credit_limit are required:
    a total or ratio whose columns are not in the input is not a column here
    (macro credit_account_features). -#}
{%- set columns = none -%}
{%- if execute -%}
    {%- set columns = adapter.get_columns_in_relation(ref('int_credit_accounts_scoped'))
        | map(attribute='name') | map('lower') | list -%}
{%- endif -%}
{%- set credit = customer_segmentation.credit_account_features(columns) -%}

with credit_accounts as (

    select * from {{ ref('int_credit_accounts_scoped') }}
    where exclusion_reason is null

),

per_customer as (

    select
        customer_id,
        {%- for total in credit.aggregated %}
        {{ total.aggregate }}({{ total.column }}) as {{ total.column }},
        {%- endfor %}
        count(*) as credit_account_count
    from credit_accounts
    group by customer_id

),

utilization as (

    select
        customer_id,
        {%- for total in credit.aggregated if total.column not in [
            'oneoff_purchases', 'installments_purchases', 'purchase_transactions', 'cash_advance_transactions',
        ] %}
        {{ total.column }},
        {%- endfor %}
        {%- for ratio in credit.derived %}
        {{ customer_segmentation.safe_divide(ratio.numerator, ratio.denominator) }} as {{ ratio.name }},
        {%- endfor %}
        credit_account_count
    from per_customer

)

select * from utilization
