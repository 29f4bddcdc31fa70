-- segment_migration accounts for every customer once: with the default (latest) later
-- scoring, its customers not churned are the snapshot's current customers, and each
-- from-segment's shares add up to 1. Returns the broken figures.
{%- set default_scorings = var('segment_migration_to', none) is none %}

with migration as (

    select * from {{ ref('segment_migration') }}

),

history as (

    select * from {{ ref('customer_segments_snapshot') }}

),

current_customers as (

    select count(*) as customers
    from history
    where dbt_valid_to is null
        and coalesce(cast(dbt_is_deleted as {{ dbt.type_string() }}), 'False') <> 'True'

),

scored_later as (

    select sum(customers) as customers
    from migration
    where to_segment <> 'churned'

),

from_totals as (

    select
        from_segment,
        sum(share_of_from_segment) as share_total
    from migration
    group by from_segment

),

failures as (

    select
        'later scoring customers' as check_name,
        cast(null as {{ dbt.type_string() }}) as from_segment,
        scored_later.customers as observed,
        current_customers.customers as expected
    from scored_later
    cross join current_customers
    where {{ 'true' if default_scorings else 'false' }}
        and scored_later.customers is not null
        and scored_later.customers <> current_customers.customers

    union all

    select
        'shares of the from-segment' as check_name,
        from_segment,
        share_total as observed,
        1 as expected
    from from_totals
    where abs(share_total - 1) > 1e-9

)

select * from failures
