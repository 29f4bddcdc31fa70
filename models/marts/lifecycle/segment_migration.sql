{#- Segment migration between two scorings recorded by customer_segments_snapshot: by
    default the latest one and the one before it; vars segment_migration_from and
    segment_migration_to (dates) choose the last scoring on or before each date. A
    customer only in the later scoring comes from 'new'; one only in the earlier goes
    to 'churned'. Before any snapshot exists (`dbt run` without `dbt snapshot`) the
    mart is empty. -#}
{%- set history_relation = load_relation(ref('customer_segments_snapshot')) -%}
{%- set from_date = customer_segmentation.validated_date(
    var('segment_migration_from', none), 'var segment_migration_from'
) -%}
{%- set to_date = customer_segmentation.validated_date(var('segment_migration_to', none), 'var segment_migration_to') -%}
{%- if from_date and to_date and (from_date | string) >= (to_date | string) -%}
    {{ exceptions.raise_compiler_error(
        "var segment_migration_from (" ~ from_date ~ ") must be a date before var "
        ~ "segment_migration_to (" ~ to_date ~ "), e.g. --vars '{segment_migration_from: "
        ~ "2026-01-01, segment_migration_to: 2026-02-01}'; leave both null for the two "
        ~ "latest scorings."
    ) }}
{%- endif -%}
{%- set string_type = dbt.type_string() -%}

with history as (

    {%- if history_relation is not none %}
    select
        customer_id,
        segment_id,
        segment_name,
        dbt_valid_from,
        dbt_valid_to,
        coalesce(cast(dbt_is_deleted as {{ string_type }}), 'False') = 'True' as is_deleted
    from {{ ref('customer_segments_snapshot') }}
    {%- else %}
    -- no snapshot yet: nothing to compare
    select
        cast(null as {{ string_type }}) as customer_id,
        cast(null as {{ dbt.type_int() }}) as segment_id,
        cast(null as {{ string_type }}) as segment_name,
        cast(null as {{ dbt.type_timestamp() }}) as dbt_valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as dbt_valid_to,
        false as is_deleted
    where 1 = 0
    {%- endif %}

),

scorings as (

    -- every snapshot run that recorded a change
    select distinct dbt_valid_from as scored_at
    from history

),

to_scoring as (

    select max(scored_at) as scored_at
    from scorings
    {%- if to_date %}
    where scored_at < {{ dbt.dateadd('day', 1, "cast('" ~ to_date ~ "' as date)") }}
    {%- endif %}

),

from_scoring as (

    select max(scorings.scored_at) as scored_at
    from scorings
    cross join to_scoring
    where scorings.scored_at < to_scoring.scored_at
    {%- if from_date %}
        and scorings.scored_at < {{ dbt.dateadd('day', 1, "cast('" ~ from_date ~ "' as date)") }}
    {%- endif %}

),

from_state as (

    select
        history.customer_id,
        history.segment_id,
        history.segment_name
    from history
    inner join from_scoring
        on history.dbt_valid_from <= from_scoring.scored_at
        and (history.dbt_valid_to is null or history.dbt_valid_to > from_scoring.scored_at)
    where not history.is_deleted

),

to_state as (

    select
        history.customer_id,
        history.segment_id,
        history.segment_name
    from history
    inner join to_scoring
        on history.dbt_valid_from <= to_scoring.scored_at
        and (history.dbt_valid_to is null or history.dbt_valid_to > to_scoring.scored_at)
    where not history.is_deleted

),

moves as (

    select
        coalesce(cast(from_state.segment_id as {{ string_type }}), 'new') as from_segment,
        from_state.segment_id as from_segment_id,
        from_state.segment_name as from_segment_name,
        coalesce(cast(to_state.segment_id as {{ string_type }}), 'churned') as to_segment,
        to_state.segment_id as to_segment_id,
        to_state.segment_name as to_segment_name
    from from_state
    full outer join to_state
        on from_state.customer_id = to_state.customer_id

),

counted as (

    select
        from_segment,
        from_segment_id,
        from_segment_name,
        to_segment,
        to_segment_id,
        to_segment_name,
        count(*) as customers
    from moves
    group by
        from_segment,
        from_segment_id,
        from_segment_name,
        to_segment,
        to_segment_id,
        to_segment_name

),

final as (

    select
        from_scoring.scored_at as from_scored_at,
        to_scoring.scored_at as to_scored_at,
        counted.from_segment,
        counted.from_segment_id,
        counted.from_segment_name,
        counted.to_segment,
        counted.to_segment_id,
        counted.to_segment_name,
        counted.customers,
        {{ customer_segmentation.safe_divide(
            'counted.customers', 'sum(counted.customers) over (partition by counted.from_segment)'
        ) }} as share_of_from_segment,
        {{ customer_segmentation.safe_divide(
            'counted.customers', 'sum(counted.customers) over ()'
        ) }} as share_of_customers
    from counted
    cross join from_scoring
    cross join to_scoring

)

select * from final
