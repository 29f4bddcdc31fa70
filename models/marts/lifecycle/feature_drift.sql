{#- Drift of every kept feature of the active segmentation model: the customers scored
    now against the model's training data, through the fixed quantile bins stored at
    fit time (ml_segment_feature_bins), so no training data is read. The feature list
    comes from the preprocessing table (model_features). -#}
{%- set features = customer_segmentation.model_features() -%}
{%- set epsilon = var('drift_psi_epsilon', 0.0001) -%}
{%- set float_type = customer_segmentation.type_double() %}
-- depends_on: {{ ref('ml_segment_preprocessing') }}

with features as (

    select * from {{ ref('int_customer_features') }}

),

scored as (

    select * from {{ ref('customer_segments') }}

),

bins as (

    select * from {{ ref('ml_segment_feature_bins') }}

),

model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

scored_values as (

    -- one row per scored customer and feature (long form)
    {%- for feature in features %}
    select
        '{{ feature }}' as feature_name,
        cast(features.{{ feature }} as {{ float_type }}) as feature_value
    from features
    inner join scored
        on features.customer_id = scored.customer_id
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

binned as (

    select
        scored_values.feature_name,
        bins.bin_number
    from scored_values
    inner join bins
        on scored_values.feature_name = bins.feature_name
        and (
            (scored_values.feature_value is null and bins.bin_number = 0)
            or (
                scored_values.feature_value is not null
                and bins.bin_number > 0
                and (bins.lower_edge is null or scored_values.feature_value > bins.lower_edge)
                and (bins.upper_edge is null or scored_values.feature_value <= bins.upper_edge)
            )
        )

),

bin_counts as (

    select
        feature_name,
        bin_number,
        count(*) as scored_count
    from binned
    group by feature_name, bin_number

),

scored_summary as (

    select
        feature_name,
        count(*) as scored_rows,
        count(feature_value) as scored_non_null,
        avg(feature_value) as scored_mean,
        {{ customer_segmentation.percentile('feature_value', 0.1) }} as scored_p10,
        {{ customer_segmentation.percentile('feature_value', 0.5) }} as scored_p50,
        {{ customer_segmentation.percentile('feature_value', 0.9) }} as scored_p90
    from scored_values
    group by feature_name

),

bin_shares as (

    select
        bins.feature_name,
        bins.bin_number,
        bins.training_share,
        {{ customer_segmentation.safe_divide(
            'coalesce(bin_counts.scored_count, 0)', 'scored_summary.scored_rows'
        ) }} as scored_share
    from bins
    inner join scored_summary
        on bins.feature_name = scored_summary.feature_name
    left join bin_counts
        on bins.feature_name = bin_counts.feature_name
        and bins.bin_number = bin_counts.bin_number

),

stability as (

    select
        feature_name,
        sum({{ customer_segmentation.population_stability_term(
            'scored_share', 'training_share', epsilon
        ) }}) as psi,
        sum(case when bin_number > 0 then 1 else 0 end) as bin_count,
        max(case when bin_number = 0 then training_share end) as training_null_share,
        max(case when bin_number = 0 then scored_share end) as scored_null_share
    from bin_shares
    group by feature_name

),

baseline as (

    -- the per-feature training figures, the same on each bin row
    select
        feature_name,
        max(feature_position) as feature_position,
        max(training_rows) as training_rows,
        max(training_mean) as training_mean,
        max(training_std_dev) as training_std_dev,
        max(training_p10) as training_p10,
        max(training_p50) as training_p50,
        max(training_p90) as training_p90
    from bins
    group by feature_name

),

final as (

    select
        model_version.model_version,
        baseline.feature_name,
        baseline.feature_position,
        stability.bin_count,
        baseline.training_rows,
        scored_summary.scored_rows,
        stability.training_null_share,
        stability.scored_null_share,
        baseline.training_mean,
        scored_summary.scored_mean,
        scored_summary.scored_mean - baseline.training_mean as mean_shift,
        {{ customer_segmentation.safe_divide(
            'scored_summary.scored_mean - baseline.training_mean', 'baseline.training_std_dev'
        ) }} as mean_shift_std_devs,
        baseline.training_p10,
        scored_summary.scored_p10,
        scored_summary.scored_p10 - baseline.training_p10 as p10_shift,
        baseline.training_p50,
        scored_summary.scored_p50,
        scored_summary.scored_p50 - baseline.training_p50 as p50_shift,
        baseline.training_p90,
        scored_summary.scored_p90,
        scored_summary.scored_p90 - baseline.training_p90 as p90_shift,
        stability.psi,
        case
            when stability.psi >= {{ var('drift_psi_significant', 0.25) }} then 'significant'
            when stability.psi >= {{ var('drift_psi_moderate', 0.1) }} then 'moderate'
            else 'none'
        end as drift_level
    from baseline
    inner join stability
        on baseline.feature_name = stability.feature_name
    inner join scored_summary
        on baseline.feature_name = scored_summary.feature_name
    cross join model_version

)

select * from final
