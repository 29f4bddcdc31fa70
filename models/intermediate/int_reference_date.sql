{#- One row: the as_of_date every feature is measured at. Configured by var as_of_date,
    else the day after the last valid transaction. -#}
{%- set configured = customer_segmentation.validated_date(var('as_of_date'), 'var as_of_date') -%}
{%- if configured is none and not customer_segmentation.input_is_enabled('transactions') -%}
    {{ exceptions.raise_compiler_error(
        "var as_of_date is required when transactions are switched off (it cannot be "
        ~ "derived from the last transaction): set it, e.g. --vars '{as_of_date: 2026-01-01}'."
    ) }}
{%- endif -%}

with

{% if configured is none -%}
transactions as (

    select * from {{ ref('stg_input__transactions') }}

),

reference_date as (

    select
        {{ dbt.dateadd('day', 1, 'max(cast(transacted_at as date))') }} as as_of_date,
        'day after the last valid transaction' as as_of_date_rule
    from transactions

)
{%- else -%}
reference_date as (

    select
        cast('{{ configured }}' as date) as as_of_date,
        'configured (var as_of_date)' as as_of_date_rule

)
{%- endif %}

select
    cast(as_of_date as date) as as_of_date,
    as_of_date_rule
from reference_date
