{{ config(enabled=customer_segmentation.input_is_enabled('transactions')) }}
{#- The lines counted are the ones int_transactions_scoped keeps: a known customer and
    a date before as_of_date. They are read from staging and aggregated before the join
    with customers, so that join sees one row per customer instead of one per line (the
    costly step at millions of lines); a line of an unknown customer finds no customer
    there and drops out, as int_transactions_scoped excludes it. The singular test
    assert_rfm_values_match_scoped_lines checks that both give the same totals. -#}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

transactions as (

    select lines.*
    from {{ ref('stg_input__transactions') }} as lines
    cross join reference_date
    -- as_of_date is the first day not observed
    where cast(lines.transacted_at as date) < reference_date.as_of_date

),

rfm_values as (

    {{ customer_segmentation.customer_rfm_values('transactions', 'customers', 'reference_date') }}

)

select * from rfm_values
