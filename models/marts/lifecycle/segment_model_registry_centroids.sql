{#- The registered versions' centroids, appended once per version (full_refresh off, as
    segment_model_registry). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

final as (

    select
        model_version.model_version,
        centroids.segment_id,
        centroids.feature_name,
        centroids.feature_position,
        centroids.centroid_scaled,
        centroids.centroid_value
    from centroids
    cross join model_version
    {%- if is_incremental() %}
    where model_version.model_version not in (select registered.model_version from {{ this }} as registered)
    {%- endif %}

)

select * from final
