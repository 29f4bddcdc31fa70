{#- The registered versions' preprocessing parameters and map loadings, appended once per
    version (full_refresh off, as segment_model_registry). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

preprocessing as (

    select * from {{ ref('ml_segment_preprocessing') }}

),

loadings as (

    select * from {{ ref('ml_segment_pca') }}

),

final as (

    select
        model_version.model_version,
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
    cross join model_version
    left join loadings as loading_x
        on preprocessing.feature_name = loading_x.feature_name
        and loading_x.component = 1
    left join loadings as loading_y
        on preprocessing.feature_name = loading_y.feature_name
        and loading_y.component = 2
    {%- if is_incremental() %}
    where model_version.model_version not in (select registered.model_version from {{ this }} as registered)
    {%- endif %}

)

select * from final
