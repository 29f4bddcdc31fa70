{#- The registered versions' preprocessing parameters and map loadings (one row per
    feature); registry_rows appends each version's rows once, kept through full refreshes. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with preprocessing as (

    select * from {{ ref('ml_segment_preprocessing') }}

),

loadings as (

    select * from {{ ref('ml_segment_pca') }}

),

version_features as (

    select
        preprocessing.feature_name,
        preprocessing.feature_position,
        preprocessing.impute_strategy,
        preprocessing.impute_value,
        preprocessing.transform,
        preprocessing.mean,
        preprocessing.std_dev,
        preprocessing.is_dropped,
        preprocessing.drop_reason,
        loading_x.center,
        loading_x.loading as loading_x,
        loading_y.loading as loading_y
    from preprocessing
    left join loadings as loading_x
        on preprocessing.feature_name = loading_x.feature_name
        and loading_x.component = 1
    left join loadings as loading_y
        on preprocessing.feature_name = loading_y.feature_name
        and loading_y.component = 2

),

final as (

    {{ customer_segmentation.registry_rows('version_features') }}

)

select * from final
