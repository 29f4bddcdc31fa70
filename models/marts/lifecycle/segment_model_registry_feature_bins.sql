{#- The registered versions' drift baselines (ml_segment_feature_bins), appended once per
    version (full_refresh off, as segment_model_registry). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}

with model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

bins as (

    select * from {{ ref('ml_segment_feature_bins') }}

),

final as (

    select
        model_version.model_version,
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
    cross join model_version
    {%- if is_incremental() %}
    where model_version.model_version not in (select registered.model_version from {{ this }} as registered)
    {%- endif %}

)

select * from final
