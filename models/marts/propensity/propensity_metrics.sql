{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- Honest evaluation, in SQL, of the out-of-fold predictions: each model's threshold is
    chosen on all its predictions by the policy in config.meta, then applied overall and
    within every segment. -#}
{#- var propensity_threshold, when set, replaces config.meta threshold (e.g. for a run). -#}
{%- set threshold = var('propensity_threshold', none) or (config.get('meta') or {}).get('threshold', {}) -%}
{%- set setting = 'var propensity_threshold (or propensity_metrics config.meta threshold)' -%}
{%- if threshold is not mapping -%}
    {{ exceptions.raise_compiler_error(
        setting ~ " is " ~ customer_segmentation._shown(threshold)
        ~ ": expected a mapping such as {policy: top_percent, top_percent: 20}, or null."
    ) }}
{%- endif -%}
{%- set policy = threshold.get('policy', 'max_f1') -%}
{%- if policy not in ['max_f1', 'fixed', 'top_percent'] -%}
    {{ exceptions.raise_compiler_error(
        setting ~ ": policy is '" ~ policy
        ~ "': use max_f1, fixed (with value) or top_percent (with top_percent)."
    ) }}
{%- endif -%}
{%- set fixed_value = customer_segmentation.validated_number(
    threshold.get('value', 0.5), setting ~ ': value', 0, 1
) -%}
{%- set top_percent = customer_segmentation.validated_number(
    threshold.get('top_percent', 10), setting ~ ': top_percent', 0, 100
) -%}
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{#- how the served candidate was chosen (ml_propensity_oof_predictions does the choosing) -#}
{%- set forced_model = var('propensity_model', 'auto') -%}
{%- if forced_model == 'auto' -%}
    {%- set selection_rule = 'highest out-of-fold ROC-AUC, every candidate on the same evaluated customers and folds; ties within 1e-9 go to the first of gradient_boosting, logistic_baseline, blend' -%}
{%- else -%}
    {%- set selection_rule = 'forced by var propensity_model: ' ~ forced_model -%}
{%- endif %}

with oof_predictions as (

    select * from {{ ref('ml_propensity_oof_predictions') }}

),

scores as (

    select * from {{ ref('int_propensity_scores') }}

),

segments as (

    select
        customer_id,
        segment_id
    from {{ ref('customer_segments') }}

),

-- every contacted customer per scope: the evaluated ones are all of them, or above
-- var propensity_oof_max_rows a stratified sample
contacted as (

    select
        'all' as scope,
        count(*) as contacted_customers
    from scores
    where scores.is_training

    union all

    select
        {{ dbt.concat(["'segment_'", dbt.safe_cast('segments.segment_id', dbt.type_string())]) }}
            as scope,
        count(*) as contacted_customers
    from scores
    inner join segments
        on scores.customer_id = segments.customer_id
    where scores.is_training
    group by segments.segment_id

),

scoped as (

    select
        oof_predictions.model_name,
        oof_predictions.is_served,
        oof_predictions.logistic_weight,
        'all' as scope,
        cast(null as {{ dbt.type_int() }}) as segment_id,
        oof_predictions.customer_id,
        case when oof_predictions.has_responded then 1 else 0 end as is_positive,
        oof_predictions.oof_score
    from oof_predictions

    union all

    select
        oof_predictions.model_name,
        oof_predictions.is_served,
        oof_predictions.logistic_weight,
        {{ dbt.concat(["'segment_'", dbt.safe_cast('segments.segment_id', dbt.type_string())]) }}
            as scope,
        segments.segment_id,
        oof_predictions.customer_id,
        case when oof_predictions.has_responded then 1 else 0 end as is_positive,
        oof_predictions.oof_score
    from oof_predictions
    inner join segments
        on oof_predictions.customer_id = segments.customer_id

),

-- ROC-AUC by the rank (Mann-Whitney) formula; tied scores share their average rank
ranked as (

    select
        *,
        {{ customer_segmentation.average_rank('oof_score', 'model_name, scope') }} as average_rank
    from scoped

),

rank_sums as (

    select
        model_name,
        scope,
        sum(is_positive) as positives,
        count(*) - sum(is_positive) as negatives,
        sum(case when is_positive = 1 then average_rank else 0 end) as positive_rank_sum
    from ranked
    group by model_name, scope

),

roc as (

    select
        model_name,
        scope,
        {{ customer_segmentation.safe_divide(
            'positive_rank_sum - positives * (positives + 1) / 2.0', 'positives * negatives'
        ) }} as roc_auc
    from rank_sums

),

-- average precision: precision at each distinct score, weighted by the recall it adds
score_levels as (

    select
        model_name,
        scope,
        oof_score,
        count(*) as level_rows,
        sum(is_positive) as level_positives
    from scoped
    group by model_name, scope, oof_score

),

cumulative_levels as (

    select
        *,
        sum(level_positives) over (
            partition by model_name, scope order by oof_score desc rows between unbounded preceding and current row
        ) as true_positives,
        sum(level_rows) over (
            partition by model_name, scope order by oof_score desc rows between unbounded preceding and current row
        ) as predicted_positives,
        sum(level_positives) over (partition by model_name, scope) as positives,
        sum(level_rows) over (partition by model_name, scope) as total_rows
    from score_levels

),

average_precision as (

    select
        model_name,
        scope,
        sum(
            {{ customer_segmentation.safe_divide('level_positives', 'positives') }}
            * {{ customer_segmentation.safe_divide('true_positives', 'predicted_positives') }}
        ) as average_precision
    from cumulative_levels
    group by model_name, scope

),

-- the threshold of each model, chosen on all its out-of-fold predictions
candidate_thresholds as (

    select
        model_name,
        oof_score as threshold,
        2.0 * true_positives / (predicted_positives + positives) as f1,
        predicted_positives,
        total_rows
    from cumulative_levels
    where scope = 'all'

),

chosen_thresholds as (

    {%- if policy == 'max_f1' %}
    select
        model_name,
        threshold
    from (
        select
            model_name,
            threshold,
            row_number() over (partition by model_name order by f1 desc, threshold desc) as f1_rank
        from candidate_thresholds
    ) as by_f1
    where f1_rank = 1
    {%- elif policy == 'fixed' %}
    select distinct
        model_name,
        cast({{ fixed_value }} as {{ customer_segmentation.type_double() }}) as threshold
    from candidate_thresholds
    {%- else %}
    -- the highest score at which at least top_percent of customers are selected
    select
        model_name,
        max(threshold) as threshold
    from candidate_thresholds
    where predicted_positives >= {{ top_percent }} / 100.0 * total_rows
    group by model_name
    {%- endif %}

),

classified as (

    select
        scoped.*,
        chosen_thresholds.threshold,
        case when scoped.oof_score >= chosen_thresholds.threshold then 1 else 0 end as is_predicted
    from scoped
    inner join chosen_thresholds
        on scoped.model_name = chosen_thresholds.model_name

),

confusion as (

    select
        model_name,
        scope,
        max(segment_id) as segment_id,
        {{ dbt.bool_or('is_served') }} as is_served,
        max(logistic_weight) as logistic_weight,
        max(threshold) as threshold,
        count(*) as customers,
        cast(sum(is_positive) as {{ dbt.type_bigint() }}) as responders,
        cast(sum(is_predicted * is_positive) as {{ dbt.type_bigint() }}) as true_positives,
        cast(sum(is_predicted * (1 - is_positive)) as {{ dbt.type_bigint() }}) as false_positives,
        cast(sum((1 - is_predicted) * is_positive) as {{ dbt.type_bigint() }}) as false_negatives,
        cast(sum((1 - is_predicted) * (1 - is_positive)) as {{ dbt.type_bigint() }}) as true_negatives,
        avg((oof_score - is_positive) * (oof_score - is_positive)) as brier_score,
        avg(oof_score) as mean_score
    from classified
    group by model_name, scope

),

metrics as (

    select
        confusion.model_name,
        confusion.is_served,
        confusion.logistic_weight,
        confusion.scope,
        confusion.segment_id,
        confusion.customers,
        confusion.responders,
        {{ customer_segmentation.safe_divide('confusion.responders', 'confusion.customers') }} as response_rate,
        roc.roc_auc,
        average_precision.average_precision,
        '{{ policy }}' as threshold_policy,
        confusion.threshold,
        confusion.true_positives,
        confusion.false_positives,
        confusion.false_negatives,
        confusion.true_negatives,
        {{ customer_segmentation.safe_divide(
            'confusion.true_positives', 'confusion.true_positives + confusion.false_positives'
        ) }} as precision_at_threshold,
        {{ customer_segmentation.safe_divide(
            'confusion.true_positives', 'confusion.true_positives + confusion.false_negatives'
        ) }} as recall_at_threshold,
        {{ customer_segmentation.safe_divide(
            '2 * confusion.true_positives',
            '2 * confusion.true_positives + confusion.false_positives + confusion.false_negatives'
        ) }} as f1_at_threshold,
        confusion.brier_score,
        confusion.mean_score
    from confusion
    inner join roc
        on confusion.model_name = roc.model_name and confusion.scope = roc.scope
    inner join average_precision
        on confusion.model_name = average_precision.model_name and confusion.scope = average_precision.scope

),

final as (

    select
        metrics.*,
        baseline.roc_auc as baseline_roc_auc,
        metrics.roc_auc - baseline.roc_auc as roc_auc_over_baseline,
        metrics.average_precision - baseline.average_precision as average_precision_over_baseline,
        contacted.contacted_customers,
        {{ customer_segmentation.safe_divide('metrics.customers', 'contacted.contacted_customers') }}
            as evaluated_share,
        -- the evaluation ran on a sample (var propensity_oof_max_rows): every candidate on the same one
        overall.customers < overall_contacted.contacted_customers as is_sampled,
        '{{ selection_rule }}' as selection_rule,
        '{{ outcome.name | replace("'", "''") }}' as outcome_name,
        '{{ outcome.source }}' as outcome_source,
        '{{ outcome.direction }}' as outcome_direction
    from metrics
    left join metrics as baseline
        on metrics.scope = baseline.scope
        and baseline.model_name = 'logistic_baseline'
    left join contacted
        on metrics.scope = contacted.scope
    left join metrics as overall
        on metrics.model_name = overall.model_name
        and overall.scope = 'all'
    left join contacted as overall_contacted
        on overall_contacted.scope = 'all'

)

select * from final
