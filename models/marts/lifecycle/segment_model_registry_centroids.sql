{#- The registered versions' centroids (ml_segment_centroids). Like every registry
    table, full_refresh is off and registry_rows appends a version's rows once. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with centroids as (

    select * from {{ ref('ml_segment_centroids') }}

),

version_centroids as (

    select
        centroids.segment_id,
        centroids.feature_name,
        centroids.feature_position,
        centroids.centroid_scaled,
        centroids.centroid_value
    from centroids

),

final as (

    {{ customer_segmentation.registry_rows('version_centroids') }}

)

select * from final
