{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}
{%- set columns = customer_segmentation.input_columns('transactions') -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('transactions') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        cast({{ columns.order_id or 'null' }} as {{ dbt.type_string() }}) as order_id,
        {{ customer_segmentation.try_cast(columns.transacted_at, dbt.type_timestamp()) }}
            as transacted_at,
        {{ customer_segmentation.try_cast(columns.quantity or 'null', customer_segmentation.type_double()) }} as quantity,
        {{ customer_segmentation.try_cast(columns.unit_price or 'null', customer_segmentation.type_double()) }} as unit_price,
        {{ columns.amount }} as amount_given,
        {{ customer_segmentation.try_cast(columns.amount, customer_segmentation.type_double()) }} as amount,
        {{ customer_segmentation.try_cast(columns.is_refund or 'null', dbt.type_boolean()) }}
            as is_refund_given,
        row_copies
    from counted

),

flagged as (

    select
        customer_id,
        order_id,
        transacted_at,
        quantity,
        unit_price,
        amount,
        is_refund_given,
        row_copies,
        case
            when customer_id is null then 'missing_customer_id'
            when transacted_at is null then 'invalid_transacted_at'
            -- the amount as text is only looked at when it did not convert, so a numeric
            -- input (Parquet, a typed table) never pays for a cast of every line to text
            when amount is null and nullif(trim(cast(amount_given as {{ dbt.type_string() }})), '') is null
                then 'missing_amount'
            when amount is null then 'non_numeric_amount'
            when amount = 0 then 'zero_amount'
        end as exclusion_reason
    from typed

)

select * from flagged
