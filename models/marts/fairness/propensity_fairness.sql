{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- Fairness of the served propensity model: for every protected attribute (and two-way
    intersection) and group, its out-of-fold predictions classified at the threshold
    propensity_metrics chose, with rates, 95% intervals, differences to the best
    published group and flags. Small groups are suppressed (no figures published). For an
    adverse outcome (var propensity_outcome direction adverse) being predicted positive
    means being flagged at risk, so the best group is the one flagged least: the lowest
    selection, true positive and false positive rates (docs/fairness.md). -#}
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{%- set is_adverse = outcome.direction == 'adverse' -%}
{%- set attribute_sets = customer_segmentation.fairness_attribute_sets() -%}
{%- set parity_threshold = customer_segmentation.validated_number(
    var('fairness_parity_threshold'), 'var fairness_parity_threshold', 0, 1
) -%}
{%- set min_group_size = customer_segmentation.validated_number(
    var('fairness_min_group_size'), 'var fairness_min_group_size', 0, whole=true
) -%}
{%- set suppress_below = customer_segmentation.validated_number(
    var('fairness_suppress_below'), 'var fairness_suppress_below', 0, whole=true
) -%}
{%- set z = 1.959963984540054 -%}
{%- set float_type = customer_segmentation.type_double() -%}
{#- rate: (name, successes, trials, best is the highest). Favourable: being selected is
    an opportunity, so the most selected group is best, and the fewest false alarms. Adverse:
    being flagged is a risk label, so the least flagged group is best, among all customers,
    those whose outcome occurred and those whose did not. Precision (a flag is right) is
    best highest either way. -#}
{%- set rates = [
    ('selection_rate', 'predicted_positives', 'customers', not is_adverse),
    ('true_positive_rate', 'true_positives', 'responders', not is_adverse),
    ('false_positive_rate', 'false_positives', 'non_responders', false),
    ('precision', 'true_positives', 'predicted_positives', true),
] -%}

with oof_predictions as (

    select * from {{ ref('ml_propensity_oof_predictions') }}

),

metrics as (

    select * from {{ ref('propensity_metrics') }}

),

attributes as (

    select * from {{ ref('int_customer_attributes') }}

),

customer_groups as (

    -- one row per customer and attribute set (a portable unpivot)
    {{ customer_segmentation.protected_groups('attributes', attribute_sets) }}

),

served_threshold as (

    select
        model_name,
        threshold
    from metrics
    where is_served and scope = 'all'

),

classified as (

    select
        customer_groups.attribute_name,
        customer_groups.group_name,
        customer_groups.is_intersection,
        oof_predictions.model_name,
        served_threshold.threshold,
        oof_predictions.oof_score,
        case when oof_predictions.has_responded then 1 else 0 end as is_positive,
        case when oof_predictions.oof_score >= served_threshold.threshold then 1 else 0 end as is_predicted
    from oof_predictions
    inner join served_threshold
        on oof_predictions.model_name = served_threshold.model_name
    inner join customer_groups
        on oof_predictions.customer_id = customer_groups.customer_id

),

-- ROC-AUC by the rank (Mann-Whitney) formula, as in propensity_metrics
ranked as (

    select
        *,
        {{ customer_segmentation.average_rank('oof_score', 'attribute_name, group_name') }} as average_rank
    from classified

),

confusion as (

    select
        attribute_name,
        group_name,
        is_intersection,
        max(model_name) as model_name,
        max(threshold) as threshold,
        count(*) as customers,
        cast(sum(is_positive) as {{ dbt.type_bigint() }}) as responders,
        cast(count(*) - sum(is_positive) as {{ dbt.type_bigint() }}) as non_responders,
        cast(sum(is_predicted) as {{ dbt.type_bigint() }}) as predicted_positives,
        cast(sum(is_predicted * is_positive) as {{ dbt.type_bigint() }}) as true_positives,
        cast(sum(is_predicted * (1 - is_positive)) as {{ dbt.type_bigint() }}) as false_positives,
        sum(case when is_positive = 1 then average_rank else 0 end) as positive_rank_sum
    from ranked
    group by attribute_name, group_name, is_intersection

),

rated as (

    select
        attribute_name,
        group_name,
        is_intersection,
        model_name,
        threshold,
        customers,
        responders,
        non_responders,
        predicted_positives,
        true_positives,
        false_positives,
        {%- for name, successes, trials, _ in rates %}
        {{ customer_segmentation.safe_divide(successes, trials) }} as {{ name }},
        {{ customer_segmentation.wilson_interval_bound(successes, trials, 'lower') }} as {{ name }}_ci_lower,
        {{ customer_segmentation.wilson_interval_bound(successes, trials, 'upper') }} as {{ name }}_ci_upper,
        {%- endfor %}
        {{ customer_segmentation.safe_divide(
            'positive_rank_sum - responders * (responders + 1) / 2.0', 'responders * non_responders'
        ) }} as roc_auc,
        customers < {{ min_group_size }} as is_low_confidence,
        customers < {{ suppress_below }} as is_suppressed
    from confusion

),

-- Hanley-McNeil (1982) standard error of the AUC
auc_errors as (

    select
        *,
        sqrt(
            (
                roc_auc * (1 - roc_auc)
                + (responders - 1) * (roc_auc / (2 - roc_auc) - roc_auc * roc_auc)
                + (non_responders - 1) * (2 * roc_auc * roc_auc / (1 + roc_auc) - roc_auc * roc_auc)
            ) / cast(responders * non_responders as {{ float_type }})
        ) as roc_auc_standard_error
    from rated

),

extremes as (

    -- best over the published groups only (the highest_is_best of each rate above)
    select
        attribute_name,
        {%- for name, _, _, highest_is_best in rates %}
        {{ 'max' if highest_is_best else 'min' }}({{ name }}) as best_{{ name }},
        {%- endfor %}
        max(roc_auc) as best_roc_auc
    from rated
    where not is_suppressed
    group by attribute_name

),

compared as (

    select
        auc_errors.*,
        {%- for name, _, _, _ in rates %}
        extremes.best_{{ name }},
        auc_errors.{{ name }} - extremes.best_{{ name }} as {{ name }}_difference,
        {%- endfor %}
        extremes.best_roc_auc,
        auc_errors.roc_auc - extremes.best_roc_auc as roc_auc_difference
    from auc_errors
    left join extremes
        on auc_errors.attribute_name = extremes.attribute_name

),

final as (

    select
        attribute_name,
        group_name,
        is_intersection,
        model_name,
        threshold,
        case when not is_suppressed then customers end as customers,
        case when not is_suppressed then responders end as responders,
        case when not is_suppressed then predicted_positives end as predicted_positives,
        case when not is_suppressed then true_positives end as true_positives,
        case when not is_suppressed then false_positives end as false_positives,
        {%- for name, _, _, _ in rates %}
        case when not is_suppressed then {{ name }} end as {{ name }},
        case when not is_suppressed then {{ name }}_ci_lower end as {{ name }}_ci_lower,
        case when not is_suppressed then {{ name }}_ci_upper end as {{ name }}_ci_upper,
        best_{{ name }},
        case when not is_suppressed then {{ name }}_difference end as {{ name }}_difference,
        {%- endfor %}
        case when not is_suppressed then roc_auc end as roc_auc,
        case
            when not is_suppressed and roc_auc_standard_error is not null
                then case
                    when roc_auc - {{ z }} * roc_auc_standard_error < 0 then 0.0
                    else roc_auc - {{ z }} * roc_auc_standard_error
                end
        end as roc_auc_ci_lower,
        case
            when not is_suppressed and roc_auc_standard_error is not null
                then case
                    when roc_auc + {{ z }} * roc_auc_standard_error > 1 then 1.0
                    else roc_auc + {{ z }} * roc_auc_standard_error
                end
        end as roc_auc_ci_upper,
        best_roc_auc,
        case when not is_suppressed then roc_auc_difference end as roc_auc_difference,
        case
            when not is_suppressed
                then coalesce(abs(selection_rate_difference) > {{ parity_threshold }}, false)
        end as is_demographic_parity_flagged,
        case
            when not is_suppressed
                then coalesce(abs(true_positive_rate_difference) > {{ parity_threshold }}, false)
        end as is_equal_opportunity_flagged,
        case
            when not is_suppressed
                then coalesce(abs(true_positive_rate_difference) > {{ parity_threshold }}, false)
                or coalesce(abs(false_positive_rate_difference) > {{ parity_threshold }}, false)
        end as is_equalized_odds_flagged,
        case
            when not is_suppressed
                then coalesce(abs(precision_difference) > {{ parity_threshold }}, false)
        end as is_predictive_parity_flagged,
        is_low_confidence,
        is_suppressed,
        '{{ outcome.direction }}' as outcome_direction
    from compared

)

select * from final
