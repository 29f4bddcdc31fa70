{#- The registered versions' drift baselines (ml_segment_feature_bins), kept so
    feature_drift can compare with any version: registry_rows appends each once. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with bins as (

    select * from {{ ref('ml_segment_feature_bins') }}

),

version_bins as (

    select
        bins.feature_name,
        bins.feature_position,
        bins.bin_number,
        bins.lower_edge,
        bins.upper_edge,
        bins.training_count,
        bins.training_share,
        bins.training_rows,
        bins.training_mean,
        bins.training_std_dev,
        bins.training_p10,
        bins.training_p50,
        bins.training_p90
    from bins

),

final as (

    {{ customer_segmentation.registry_rows('version_bins') }}

)

select * from final
