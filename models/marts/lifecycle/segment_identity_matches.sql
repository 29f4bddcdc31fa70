{#- Why each segment of the active model kept or got its id: the optimal assignment of
    its centroids to the previous version's (ml_segment_centroids), plus one row per
    previous segment that found no close counterpart (retired). -#}

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

segments as (

    select distinct
        segment_id,
        fitted_segment_id,
        previous_segment_id,
        match_distance,
        keeps_identity,
        previous_fit_fingerprint
    from centroids

),

previous_version as (

    -- the registered version whose centroids the active fit was matched against
    select max(registry.model_version) as model_version
    from registry
    inner join (select distinct previous_fit_fingerprint from segments) as matched
        on registry.centroids_fingerprint = matched.previous_fit_fingerprint

),

previous_segments as (

    select distinct
        registry_centroids.model_version,
        registry_centroids.segment_id
    from registry_centroids
    inner join previous_version
        on registry_centroids.model_version = previous_version.model_version

),

active as (

    select
        model_version.model_version,
        segments.segment_id,
        names.segment_name,
        segments.fitted_segment_id,
        previous_version.model_version as previous_model_version,
        segments.previous_segment_id,
        segments.match_distance,
        case
            when segments.previous_fit_fingerprint is null then 'first_fit'
            when segments.keeps_identity then 'kept'
            else 'new'
        end as identity_status
    from segments
    cross join model_version
    cross join previous_version
    left join names
        on segments.segment_id = names.segment_id

),

retired as (

    select
        model_version.model_version,
        previous_segments.segment_id,
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_int() }}) as fitted_segment_id,
        previous_segments.model_version as previous_model_version,
        previous_segments.segment_id as previous_segment_id,
        cast(null as {{ dbt.type_float() }}) as match_distance,
        'retired' as identity_status
    from previous_segments
    cross join model_version
    left join segments
        on previous_segments.segment_id = segments.segment_id
        and segments.keeps_identity
    where segments.segment_id is null

),

final as (

    select * from active
    union all
    select * from retired

)

select * from final
