-- Every archetype has one priority and one name, no two archetypes share a name or
-- a priority, and the playbook has a row for every archetype (and none for unknown
-- ones but no_credit_account, the fixed archetype of the segment of its own for
-- customers without a credit account, which has no rules) and a default row.
with archetypes as (

    select * from {{ ref('segment_archetypes') }}

),

playbook as (

    select * from {{ ref('segment_playbook') }}

),

archetype_keys as (

    select
        archetype,
        count(distinct priority) as priorities,
        count(distinct segment_name) as names,
        min(priority) as priority,
        min(segment_name) as segment_name
    from archetypes
    group by archetype

),

problems as (

    select
        archetype,
        'more than one priority or name' as problem
    from archetype_keys
    where priorities > 1 or names > 1

    union all

    select
        min(archetype) as archetype,
        'priority shared by several archetypes' as problem
    from archetype_keys
    group by priority
    having count(*) > 1

    union all

    select
        min(archetype) as archetype,
        'segment_name shared by several archetypes' as problem
    from archetype_keys
    group by segment_name
    having count(*) > 1

    union all

    select
        archetype_keys.archetype,
        'no segment_playbook row' as problem
    from archetype_keys
    left join playbook
        on archetype_keys.archetype = playbook.archetype
    where playbook.archetype is null

    union all

    select
        playbook.archetype,
        'playbook row for an archetype that does not exist' as problem
    from playbook
    left join archetype_keys
        on playbook.archetype = archetype_keys.archetype
    where archetype_keys.archetype is null
        and playbook.archetype not in ('default', 'no_credit_account')

    union all

    select
        'default' as archetype,
        'no default segment_playbook row' as problem
    from playbook
    having sum(case when archetype = 'default' then 1 else 0 end) = 0

)

select * from problems
