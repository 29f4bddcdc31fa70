{#- Why each segment of the active model kept or got its id (ml_segment_centroids
    decided it at the fit: comparable versions, a close and unambiguous pair, the same
    customers), plus one row per previous segment that was not continued (retired).
    The name columns compare the active version's first scoring with the previous
    version's last one in customer_segments_snapshot, so that a name the previous
    version gave to another group of customers is visible; before any snapshot exists
    (`dbt run` without `dbt snapshot`) they are null. -#}
{%- set history_relation = load_relation(ref('customer_segments_snapshot')) -%}
{%- set string_type = dbt.type_string() -%}

with centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

registry as (

    select * from {{ ref('segment_model_registry') }}

),

registry_centroids as (

    select * from {{ ref('segment_model_registry_centroids') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

history as (

    {%- if history_relation is not none %}
    select
        customer_id,
        segment_id,
        segment_name,
        model_version,
        dbt_valid_from
    from {{ ref('customer_segments_snapshot') }}
    where coalesce(cast(dbt_is_deleted as {{ string_type }}), 'False') <> 'True'
    {%- else %}
    -- no snapshot yet: no scoring to compare
    select
        cast(null as {{ string_type }}) as customer_id,
        cast(null as {{ dbt.type_int() }}) as segment_id,
        cast(null as {{ string_type }}) as segment_name,
        cast(null as {{ string_type }}) as model_version,
        cast(null as {{ dbt.type_timestamp() }}) as dbt_valid_from
    where 1 = 0
    {%- endif %}

),

segments as (

    select distinct
        segment_id,
        fitted_segment_id,
        previous_segment_id,
        match_distance,
        runner_up_distance,
        shared_feature_share,
        members_compared,
        share_from_previous_segment,
        share_of_previous_segment,
        keeps_identity,
        identity_reason,
        is_near_miss,
        previous_fit_fingerprint,
        identity_max_distance,
        identity_max_distance_ratio,
        identity_min_member_share,
        identity_min_shared_features
    from centroids

),

rules as (

    select distinct
        previous_fit_fingerprint,
        shared_feature_share,
        identity_max_distance,
        identity_max_distance_ratio,
        identity_min_member_share,
        identity_min_shared_features,
        max(case when identity_reason = 'not_comparable' then 1 else 0 end)
            over () = 1 as is_not_comparable
    from segments

),

previous_versions as (

    -- the registered versions with the centroids the active fit was matched against
    select
        registry.model_version,
        registry.activated_at
    from registry
    inner join rules
        on registry.centroids_fingerprint = rules.previous_fit_fingerprint

),

previous_version as (

    -- of those, the one activated last (null on a first fit)
    select max(model_version) as model_version
    from (
        select
            model_version,
            rank() over (order by activated_at desc) as activation_rank
        from previous_versions
    ) as ranked
    where activation_rank = 1

),

previous_segments as (

    select distinct registry_centroids.segment_id
    from registry_centroids
    inner join previous_version
        on registry_centroids.model_version = previous_version.model_version

),

previous_scoring as (

    -- each customer's last segment under the previous version (a filtered subquery,
    -- not qualify, which Spark and others lack)
    select *
    from (
        select
            history.*,
            row_number() over (
                partition by history.customer_id order by history.dbt_valid_from desc
            ) as scoring_rank
        from history
        inner join previous_versions
            on history.model_version = previous_versions.model_version
    ) as ranked
    where scoring_rank = 1

),

previous_names as (

    -- each previous segment's latest name, and each name's latest segment
    select
        segment_id,
        segment_name
    from (
        select
            segment_id,
            segment_name,
            row_number() over (partition by segment_name order by dbt_valid_from desc) as name_rank
        from (
            select
                segment_id,
                segment_name,
                dbt_valid_from,
                row_number() over (partition by segment_id order by dbt_valid_from desc) as segment_rank
            from previous_scoring
        ) as by_segment
        where segment_rank = 1
    ) as latest_names
    where name_rank = 1

),

active_scoring as (

    -- the active version's first scoring (the build that fitted or activated it)
    select *
    from (
        select
            history.*,
            min(history.dbt_valid_from) over () as first_scored_at
        from history
        inner join model_version
            on history.model_version = model_version.model_version
    ) as scorings
    where dbt_valid_from = first_scored_at

),

transitions as (

    select
        active_scoring.segment_id,
        previous_scoring.segment_id as previous_segment_id,
        count(*) as customers
    from active_scoring
    inner join previous_scoring
        on active_scoring.customer_id = previous_scoring.customer_id
    group by
        active_scoring.segment_id,
        previous_scoring.segment_id

),

segment_totals as (

    select
        segment_id,
        sum(customers) as customers
    from transitions
    group by segment_id

),

previous_totals as (

    select
        previous_segment_id,
        sum(customers) as customers
    from transitions
    group by previous_segment_id

),

named as (

    -- the previous segment that had each active segment's name, and the share of
    -- either segment's customers (scored by both versions) the two have in common
    select
        names.segment_id,
        names.segment_name,
        previous_names.segment_id as name_previous_segment_id,
        case when previous_names.segment_id is not null then
            {{ customer_segmentation.safe_divide(
                'coalesce(shared.customers, 0)', 'segment_totals.customers'
            ) }}
        end as name_member_share,
        case when previous_names.segment_id is not null then
            {{ customer_segmentation.safe_divide(
                'coalesce(shared.customers, 0)', 'previous_totals.customers'
            ) }}
        end as name_previous_member_share
    from names
    left join previous_names
        on names.segment_name = previous_names.segment_name
    left join transitions as shared
        on names.segment_id = shared.segment_id
        and previous_names.segment_id = shared.previous_segment_id
    left join segment_totals
        on names.segment_id = segment_totals.segment_id
    left join previous_totals
        on previous_names.segment_id = previous_totals.previous_segment_id

),

active as (

    select
        model_version.model_version,
        segments.segment_id,
        named.segment_name,
        segments.fitted_segment_id,
        previous_version.model_version as previous_model_version,
        segments.previous_segment_id,
        paired_names.segment_name as previous_segment_name,
        case
            when segments.previous_fit_fingerprint is null then 'first_fit'
            when segments.keeps_identity then 'kept'
            else 'new'
        end as identity_status,
        segments.identity_reason,
        segments.is_near_miss,
        segments.match_distance,
        segments.runner_up_distance,
        segments.shared_feature_share,
        segments.members_compared,
        segments.share_from_previous_segment,
        segments.share_of_previous_segment,
        named.name_previous_segment_id,
        named.name_member_share,
        named.name_previous_member_share,
        coalesce(
            named.name_previous_segment_id is not null
            and not (
                segments.keeps_identity
                and named.name_previous_segment_id = segments.previous_segment_id
            ),
            false
        ) as is_name_reused,
        segments.identity_max_distance,
        segments.identity_max_distance_ratio,
        segments.identity_min_member_share,
        segments.identity_min_shared_features
    from segments
    cross join model_version
    cross join previous_version
    left join named
        on segments.segment_id = named.segment_id
    left join previous_names as paired_names
        on segments.previous_segment_id = paired_names.segment_id

),

retired as (

    -- a previous segment no active segment continues, with its pair's figures
    select
        model_version.model_version,
        previous_segments.segment_id,
        cast(null as {{ string_type }}) as segment_name,
        cast(null as {{ dbt.type_int() }}) as fitted_segment_id,
        previous_version.model_version as previous_model_version,
        previous_segments.segment_id as previous_segment_id,
        previous_names.segment_name as previous_segment_name,
        'retired' as identity_status,
        coalesce(
            paired.identity_reason,
            case when rules.is_not_comparable then 'not_comparable' else 'no_counterpart' end
        ) as identity_reason,
        coalesce(paired.is_near_miss, false) as is_near_miss,
        paired.match_distance,
        paired.runner_up_distance,
        rules.shared_feature_share,
        cast(null as {{ dbt.type_int() }}) as members_compared,
        paired.share_from_previous_segment,
        paired.share_of_previous_segment,
        cast(null as {{ dbt.type_int() }}) as name_previous_segment_id,
        cast(null as {{ dbt.type_float() }}) as name_member_share,
        cast(null as {{ dbt.type_float() }}) as name_previous_member_share,
        false as is_name_reused,
        rules.identity_max_distance,
        rules.identity_max_distance_ratio,
        rules.identity_min_member_share,
        rules.identity_min_shared_features
    from previous_segments
    cross join model_version
    cross join previous_version
    cross join rules
    left join segments as paired
        on previous_segments.segment_id = paired.previous_segment_id
    left join previous_names
        on previous_segments.segment_id = previous_names.segment_id
    where not coalesce(paired.keeps_identity, false)

),

final as (

    select * from active
    union all
    select * from retired

)

select * from final
