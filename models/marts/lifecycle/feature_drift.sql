{#- Drift of every kept feature of the active segmentation model: the customers scored
    now against the model's training data, through the fixed quantile bins stored at
    fit time (ml_segment_feature_bins), so no training data is read. The feature list
    comes from the preprocessing table (model_features), the largest bin number from
    the baseline (model_feature_bin_count). Wide, in one pass over the customers: the
    bin edges are pivoted to one row, each customer's bin of every feature is picked
    within its row (the first upper edge at or above the value), and the counts, means
    and percentiles of every feature are aggregated together (percentile_in_set:
    one aggregate per feature for its three percentiles on DuckDB); only the small results
    are unpivoted to one row per feature (and bin). -#}
{%- set features = customer_segmentation.model_features() -%}
{%- set bin_count = customer_segmentation.model_feature_bin_count() -%}
{%- set epsilon = customer_segmentation.validated_number(
    var('drift_psi_epsilon', 0.0001), 'var drift_psi_epsilon', 0, 1
) -%}
{%- set psi_moderate = customer_segmentation.validated_number(
    var('drift_psi_moderate', 0.1), 'var drift_psi_moderate', 0
) -%}
{%- set psi_significant = customer_segmentation.validated_number(
    var('drift_psi_significant', 0.25), 'var drift_psi_significant', 0
) -%}
{%- set quantiles = [0.1, 0.5, 0.9] -%}
{%- set float_type = customer_segmentation.type_double() %}
-- depends_on: {{ ref('ml_segment_preprocessing') }}

with features as (

    -- the customers the model scores, as its training data was (no customer of the
    -- segment of its own for a missing feature family)
    select * from {{ ref('int_segmentation_population') }}

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

wide_edges as (

    -- one row: each feature's upper bin edges (null past its last edge) and last bin
    select
        {%- for feature in features %}
        {%- for bin_number in range(1, bin_count) %}
        max(case when feature_name = '{{ feature }}' and bin_number = {{ bin_number }} then upper_edge end)
            as {{ feature }}__edge_{{ bin_number }},
        {%- endfor %}
        max(case when feature_name = '{{ feature }}' then bin_number end) as {{ feature }}__last_bin,
        {%- endfor %}
        count(*) as bin_rows
    from bins

),

scored_values as (

    -- one row per scored customer: each feature's value and its bin (0 for null; bin b
    -- holds lower edge < value <= upper edge, the last bin everything above)
    select
        {%- for feature in features %}
        cast(features.{{ feature }} as {{ float_type }}) as {{ feature }},
        case
            when features.{{ feature }} is null then 0
            {%- for bin_number in range(1, bin_count) %}
            when cast(features.{{ feature }} as {{ float_type }}) <= wide_edges.{{ feature }}__edge_{{ bin_number }}
                then {{ bin_number }}
            {%- endfor %}
            else wide_edges.{{ feature }}__last_bin
        end as {{ feature }}__bin,
        {%- endfor %}
        features.customer_id
    from features
    inner join scored
        on features.customer_id = scored.customer_id
    cross join wide_edges

),

scored_wide as (

    -- one row: every feature's figures and bin counts, aggregated in one pass
    select
        {%- for feature in features %}
        count({{ feature }}) as {{ feature }}__non_null,
        avg({{ feature }}) as {{ feature }}__mean,
        {%- for fraction in quantiles %}
        {{ customer_segmentation.percentile_in_set(feature, fraction, quantiles) }}
            as {{ feature }}__p{{ (fraction * 100) | round | int }},
        {%- endfor %}
        {%- for bin_number in range(0, bin_count + 1) %}
        sum(case when {{ feature }}__bin = {{ bin_number }} then 1 else 0 end) as {{ feature }}__count_{{ bin_number }},
        {%- endfor %}
        {%- endfor %}
        count(*) as scored_rows
    from scored_values

),

scored_summary as (

    {{ customer_segmentation.unpivot_wide('scored_wide', features, [
        ['feature_name', "'{item}'"],
        ['scored_rows', 'scored_rows'],
        ['scored_non_null', '{item}__non_null'],
        ['scored_mean', '{item}__mean'],
        ['scored_p10', '{item}__p10'],
        ['scored_p50', '{item}__p50'],
        ['scored_p90', '{item}__p90'],
    ]) }}

),

bin_counts as (

    -- one row per feature and bin of the baseline: its count among the scored customers
    select
        bins.feature_name,
        bins.bin_number,
        case
            {%- for feature in features %}
            {%- for bin_number in range(0, bin_count + 1) %}
            when bins.feature_name = '{{ feature }}' and bins.bin_number = {{ bin_number }}
                then scored_wide.{{ feature }}__count_{{ bin_number }}
            {%- endfor %}
            {%- endfor %}
        end as scored_count
    from bins
    cross join scored_wide

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
            when stability.psi >= {{ psi_significant }} then 'significant'
            when stability.psi >= {{ psi_moderate }} then 'moderate'
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
