{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}
{#- One row: the largest |amount| a transaction line may have. Above it a line is
    excluded as extreme_amount (int_transactions_scoped): a value 1e15 typed for 15.00
    would otherwise own a segment's revenue share. The cut is a multiple of a high
    quantile of |amount| over every valid line, so a purchase and its refund fall on
    the same side (netting stays consistent) and up to 1 - quantile of the lines can be
    absurd without moving it. var extreme_amount_multiple null switches the rule off. -#}
{%- set quantile = customer_segmentation.validated_number(
    var('extreme_amount_quantile'), 'var extreme_amount_quantile', 0.5, 1
) -%}
{%- set multiple = customer_segmentation.validated_number(
    var('extreme_amount_multiple'), 'var extreme_amount_multiple', 1, allow_none=true
) -%}
{%- set float_type = customer_segmentation.type_double() %}

with transactions as (

    select amount from {{ ref('stg_input__transactions') }}

),

quantiles as (

    select
        cast({{ customer_segmentation.percentile('abs(amount)', quantile) }} as {{ float_type }})
            as quantile_amount
    from transactions

),

amount_limit as (

    select
        cast({{ quantile }} as {{ float_type }}) as amount_quantile,
        quantile_amount,
        cast({{ 'null' if multiple is none else multiple }} as {{ float_type }}) as amount_multiple,
        cast({{ 'null' if multiple is none else 'quantile_amount * ' ~ multiple }} as {{ float_type }})
            as amount_limit
    from quantiles

)

select * from amount_limit
