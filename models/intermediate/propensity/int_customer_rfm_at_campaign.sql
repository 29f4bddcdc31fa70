{#- A table, not a view: int_propensity_features and three data tests read it, and as a
    view each of them would re-aggregate every transaction. -#}
{{ config(materialized='table', enabled=customer_segmentation.input_is_enabled('transactions')
    and customer_segmentation.input_is_enabled('campaign_responses')
    and customer_segmentation.propensity_outcome().source == 'campaign_responses') }}
{#- RFM values as of the target campaign's contact date: only transactions strictly
    before it, so the propensity model never sees what customers did after contact. -#}
{#- Run after int_customer_rfm_values, not beside it: both aggregate every transaction
    line, and at equal DAG depth dbt starts this one first (alphabetical order), which
    held back the segmentation models, which need only int_customer_rfm_values, by the
    length of this model (docs/benchmarks.md, end to end at 1M). -#}
-- depends_on: {{ ref('int_customer_rfm_values') }}

with customers as (

    select customer_id from {{ ref('stg_input__customers') }}

),

reference_date as (

    select contacted_date as as_of_date from {{ ref('int_propensity_campaign') }}

),

transactions as (

    select scoped.*
    from {{ ref('int_transactions_scoped') }} as scoped
    cross join reference_date
    where
        scoped.exclusion_reason is null
        and cast(scoped.transacted_at as date) < reference_date.as_of_date

),

rfm_values as (

    {{ customer_segmentation.customer_rfm_values('transactions', 'customers', 'reference_date') }}

)

select * from rfm_values
