-- Literal rows through registry_rows: with nothing registered, or only an earlier
-- version, every row comes back tagged with the active version (model_version first);
-- once the active version is registered, none does. One failing row per row missing or
-- extra.
with version_rows as (

    select
        'recency_days' as feature_name,
        1 as feature_position
    union all
    select
        'frequency' as feature_name,
        2 as feature_position

),

active_version as (

    select 'v2' as model_version

),

nothing_registered as (

    select active_version.model_version from active_version
    where 1 = 0

),

earlier_registered as (

    select 'v1' as model_version

),

active_registered as (

    select 'v1' as model_version
    union all
    select 'v2' as model_version

),

first_build as (

    {{ customer_segmentation.registry_rows('version_rows', 'active_version', 'nothing_registered') }}

),

new_version as (

    {{ customer_segmentation.registry_rows('version_rows', 'active_version', 'earlier_registered') }}

),

version_registered as (

    {{ customer_segmentation.registry_rows('version_rows', 'active_version', 'active_registered') }}

),

appended as (

    select
        'first build' as case_name,
        first_build.*
    from first_build
    union all
    select
        'new version' as case_name,
        new_version.*
    from new_version
    union all
    select
        'version registered' as case_name,
        version_registered.*
    from version_registered

),

expected as (

    select
        'first build' as case_name,
        'v2' as model_version,
        version_rows.*
    from version_rows
    union all
    select
        'new version' as case_name,
        'v2' as model_version,
        version_rows.*
    from version_rows

),

final as (

    select
        coalesce(appended.case_name, expected.case_name) as case_name,
        coalesce(appended.feature_name, expected.feature_name) as feature_name,
        appended.case_name is null as is_missing
    from appended
    full outer join expected
        on appended.case_name = expected.case_name
        and appended.model_version = expected.model_version
        and appended.feature_name = expected.feature_name
        and appended.feature_position = expected.feature_position
    where appended.case_name is null or expected.case_name is null

)

select * from final
