{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{#- Several accounts of one customer are added up (amounts, counts) or averaged
    (frequencies and ratios in [0, 1]). Every ratio goes through safe_divide:
    a zero or null denominator gives null (imputed by the segmentation model's
    documented rule), never inf or NaN. -#}

with credit_accounts as (

    select * from {{ ref('int_credit_accounts_scoped') }}
    where exclusion_reason is null

),

per_customer as (

    select
        customer_id,
        sum(balance) as balance,
        sum(credit_limit) as credit_limit,
        sum(purchases) as purchases,
        sum(oneoff_purchases) as oneoff_purchases,
        sum(installments_purchases) as installments_purchases,
        sum(cash_advance) as cash_advance,
        sum(payments) as payments,
        sum(minimum_payments) as minimum_payments,
        sum(purchase_transactions) as purchase_transactions,
        sum(cash_advance_transactions) as cash_advance_transactions,
        avg(full_payment_ratio) as full_payment_ratio,
        avg(balance_frequency) as balance_frequency,
        avg(purchases_frequency) as purchases_frequency,
        avg(cash_advance_frequency) as cash_advance_frequency,
        max(tenure_months) as tenure_months,
        count(*) as credit_account_count
    from credit_accounts
    group by customer_id

),

utilization as (

    select
        customer_id,
        balance,
        credit_limit,
        purchases,
        cash_advance,
        payments,
        minimum_payments,
        full_payment_ratio,
        balance_frequency,
        purchases_frequency,
        cash_advance_frequency,
        tenure_months,
        credit_account_count,
        {{ customer_segmentation.safe_divide('balance', 'credit_limit') }} as credit_utilization,
        {{ customer_segmentation.safe_divide('payments', 'minimum_payments') }}
            as payments_to_minimum_ratio,
        {{ customer_segmentation.safe_divide('cash_advance', 'purchases + cash_advance') }}
            as cash_advance_share,
        {{ customer_segmentation.safe_divide('oneoff_purchases', 'oneoff_purchases + installments_purchases') }}
            as oneoff_purchase_share,
        {{ customer_segmentation.safe_divide('purchases', 'purchase_transactions') }}
            as purchases_per_transaction
    from per_customer

)

select * from utilization
