{#- Appends the active model version when it is new; when an earlier version becomes
    active again (a retrain that reproduces it) its row is replaced with a new
    activated_at and its first fitted_at kept. full_refresh is off: the history
    survives `dbt build --full-refresh`. -#}
{{ config(
    materialized='incremental',
    unique_key='model_version',
    incremental_strategy=customer_segmentation.registry_incremental_strategy(),
    full_refresh=false,
) }}

with model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

chosen as (

    select * from {{ ref('ml_segment_model_selection') }}
    where is_chosen

),

preprocessing as (

    select * from {{ ref('ml_segment_preprocessing') }}

),

centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

feature_summary as (

    select
        sum(case when is_dropped then 0 else 1 end) as feature_count,
        sum(case when is_dropped then 1 else 0 end) as dropped_feature_count
    from preprocessing

),

centroid_summary as (

    select
        count(distinct segment_id) as segment_count,
        max(fit_rows) as fit_rows,
        max(case when is_sampled then 1 else 0 end) = 1 as is_sampled
    from centroids

),

{{ customer_segmentation.registered_versions() }},

final as (

    select
        model_version.model_version,
        coalesce(registered.fitted_at, {{ dbt.current_timestamp() }}) as fitted_at,
        {{ dbt.current_timestamp() }} as activated_at,
        chosen.k,
        centroid_summary.segment_count,
        chosen.selection_rule,
        feature_summary.feature_count,
        feature_summary.dropped_feature_count,
        centroid_summary.fit_rows,
        centroid_summary.is_sampled,
        chosen.inertia,
        chosen.silhouette,
        chosen.calinski_harabasz,
        chosen.davies_bouldin,
        chosen.stability_ari,
        model_version.preprocessing_fingerprint,
        model_version.model_selection_fingerprint,
        model_version.centroids_fingerprint,
        model_version.pca_fingerprint
    from model_version
    cross join chosen
    cross join feature_summary
    cross join centroid_summary
    left join registered
        on model_version.model_version = registered.model_version
    where model_version.model_version not in (select latest.model_version from latest)

)

select * from final
