{#- One row: the as_of_date every feature is measured at. Configured by var as_of_date,
    else the day after the last valid transaction dated on or before the run's date: a
    line dated in the future (a typo, a test record) can never move it; such lines are
    excluded and counted (int_transactions_scoped, dated_after_run_date). -#}
{{ config(post_hook="{{ customer_segmentation.assert_as_of_date_found(this) }}") }}
{#- always after the transactions (also with a configured as_of_date): the post-hook and
    the unit test read them -#}
{%- if customer_segmentation.input_is_enabled('transactions') %}
-- depends_on: {{ ref('stg_input__transactions') }}
{%- endif %}
{%- set configured = customer_segmentation.validated_date(var('as_of_date'), 'var as_of_date') -%}
{%- if configured is none and not customer_segmentation.input_is_enabled('transactions') -%}
    {{ exceptions.raise_compiler_error(
        "var as_of_date is required when transactions are switched off (it cannot be "
        ~ "derived from the last transaction): set it, e.g. --vars '{as_of_date: 2026-01-01}'."
    ) }}
{%- endif -%}
{#- the day the build runs (UTC): no transaction can have happened after it -#}
{%- set run_date = "cast('" ~ run_started_at.strftime('%Y-%m-%d') ~ "' as date)" %}

with

{% if configured is none -%}
transactions as (

    select transacted_at from {{ ref('stg_input__transactions') }}
    where cast(transacted_at as date) <= {{ run_date }}

),

reference_date as (

    select
        {{ dbt.dateadd('day', 1, 'max(cast(transacted_at as date))') }} as as_of_date,
        'day after the last valid transaction not dated after the run date' as as_of_date_rule,
        false as is_as_of_date_configured
    from transactions

)
{%- else -%}
reference_date as (

    select
        cast('{{ configured }}' as date) as as_of_date,
        'configured (var as_of_date)' as as_of_date_rule,
        true as is_as_of_date_configured

)
{%- endif %}

select
    cast(as_of_date as date) as as_of_date,
    as_of_date_rule,
    is_as_of_date_configured,
    {{ run_date }} as run_date
from reference_date
