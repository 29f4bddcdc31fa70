{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- Fairness of the served propensity model: for every protected attribute (and two-way
    intersection) and group, its out-of-fold predictions classified at the threshold
    propensity_metrics chose, with rates, 95% intervals, differences to the best
    published group and flags. Small groups are suppressed (no figures published). For an
    adverse outcome (var propensity_outcome direction adverse) being predicted positive
    means being flagged at risk, so the best group is the one flagged least: the lowest
    selection, true positive and false positive rates (docs/fairness.md). A flag needs
    the difference to the best group beyond the threshold with the support of its
    Bonferroni-corrected interval (fairness_flag_settings); small groups are not flagged. -#}
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
{%- set settings = customer_segmentation.fairness_flag_settings() -%}
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

    -- best over the measured groups only (the highest_is_best of each rate above): a
    -- group of a dozen customers would be the reference by chance
    select
        attribute_name,
        {%- for name, _, _, highest_is_best in rates %}
        {{ 'max' if highest_is_best else 'min' }}({{ name }}) as best_{{ name }},
        {%- endfor %}
        max(roc_auc) as best_roc_auc
    from rated
    where not is_suppressed and not is_low_confidence
    group by attribute_name

),

ranked_rates as (

    -- which measured group is best for each rate (ties: first name), for its counts
    select
        attribute_name,
        {%- for name, successes, trials, highest_is_best in rates %}
        {{ successes }} as {{ name }}_successes,
        {{ trials }} as {{ name }}_trials,
        row_number() over (
            partition by attribute_name
            order by
                case when {{ name }} is null then 1 else 0 end,
                {{ name }} {{ 'desc' if highest_is_best else 'asc' }},
                group_name
        ) as {{ name }}_rank{{ ',' if not loop.last }}
        {%- endfor %}
    from rated
    where not is_suppressed and not is_low_confidence

),

best_counts as (

    select
        attribute_name,
        {%- for name, _, _, _ in rates %}
        max(case when {{ name }}_rank = 1 then {{ name }}_successes end) as best_{{ name }}_successes,
        max(case when {{ name }}_rank = 1 then {{ name }}_trials end) as best_{{ name }}_trials{{ ',' if not loop.last }}
        {%- endfor %}
    from ranked_rates
    group by attribute_name

),

families as (

    -- Bonferroni family: every comparison the mart makes for the attribute (each
    -- measured group's four rates against the best group's)
    select
        attribute_name,
        {{ rates | length }} * count(*) as comparison_count
    from rated
    where not is_low_confidence and not is_suppressed
    group by attribute_name

),

levels as (

    select
        attribute_name,
        comparison_count,
        {{ customer_segmentation.fairness_comparison_level('comparison_count') }}
            as comparison_confidence_level
    from families

),

quantiles as (

    select
        *,
        {{ customer_segmentation.normal_quantile('1 - (1 - comparison_confidence_level) / 2') }}
            as comparison_z
    from levels

),

compared as (

    select
        auc_errors.*,
        {%- for name, _, _, _ in rates %}
        extremes.best_{{ name }},
        auc_errors.{{ name }} - extremes.best_{{ name }} as {{ name }}_difference,
        best_counts.best_{{ name }}_successes,
        best_counts.best_{{ name }}_trials,
        {%- endfor %}
        extremes.best_roc_auc,
        auc_errors.roc_auc - extremes.best_roc_auc as roc_auc_difference,
        quantiles.comparison_count,
        quantiles.comparison_confidence_level,
        quantiles.comparison_z
    from auc_errors
    left join extremes
        on auc_errors.attribute_name = extremes.attribute_name
    left join best_counts
        on auc_errors.attribute_name = best_counts.attribute_name
    left join quantiles
        on auc_errors.attribute_name = quantiles.attribute_name

),

bounded as (

    -- each rate's and the best group's interval at the comparison's level
    select
        *,
        {%- for name, successes, trials, _ in rates %}
        {%- set outer = loop %}
        {%- for bound in ['lower', 'upper'] %}
        {{ customer_segmentation.wilson_interval_bound(successes, trials, bound, 'comparison_z') }}
            as {{ name }}_{{ bound }},
        {{ customer_segmentation.wilson_interval_bound(
            'best_' ~ name ~ '_successes', 'best_' ~ name ~ '_trials', bound, 'comparison_z'
        ) }} as best_{{ name }}_{{ bound }}{{ ',' if not (outer.last and loop.last) }}
        {%- endfor %}
        {%- endfor %}
    from compared

),

intervals as (

    -- Newcombe's interval of each difference to the best group (independent groups)
    select
        *,
        {%- for name, _, _, _ in rates %}
        {%- set outer = loop %}
        {%- for bound in ['lower', 'upper'] %}
        {{ customer_segmentation.difference_interval_bound(
            name, name ~ '_lower', name ~ '_upper',
            'best_' ~ name, 'best_' ~ name ~ '_lower', 'best_' ~ name ~ '_upper', bound
        ) }} as {{ name }}_difference_ci_{{ bound }}{{ ',' if not (outer.last and loop.last) }}
        {%- endfor %}
        {%- endfor %}
    from bounded

),

flagged as (

    select
        *,
        {%- for name, _, _, _ in rates %}
        not is_low_confidence and {{ customer_segmentation.fairness_flag(
            name ~ '_difference', name ~ '_difference_ci_lower', name ~ '_difference_ci_upper',
            below=-parity_threshold, above=parity_threshold
        ) }} as is_{{ name }}_rule_met{{ ',' if not loop.last }}
        {%- endfor %}
    from intervals

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
        case when not is_suppressed then is_selection_rate_rule_met end as is_demographic_parity_flagged,
        case when not is_suppressed then is_true_positive_rate_rule_met end as is_equal_opportunity_flagged,
        case
            when not is_suppressed
                then is_true_positive_rate_rule_met or is_false_positive_rate_rule_met
        end as is_equalized_odds_flagged,
        case when not is_suppressed then is_precision_rule_met end as is_predictive_parity_flagged,
        is_low_confidence,
        is_suppressed,
        '{{ outcome.direction }}' as outcome_direction,
        {%- for name, _, _, _ in rates %}
        {%- for bound in ['lower', 'upper'] %}
        case when not is_suppressed and not is_low_confidence then {{ name }}_difference_ci_{{ bound }} end
            as {{ name }}_difference_ci_{{ bound }},
        {%- endfor %}
        {%- endfor %}
        comparison_count,
        comparison_confidence_level,
        cast('{{ settings.text }}' as {{ dbt.type_string() }}) as flag_rule,
        {%- set not_tested = dbt.concat([
            "'not tested: '", 'cast(customers as ' ~ dbt.type_string() ~ ')',
            "' customers, under fairness_min_group_size " ~ min_group_size ~ "'",
        ]) %}
        {%- for metric, names in [
            ('demographic_parity', ['selection_rate']),
            ('equal_opportunity', ['true_positive_rate']),
            ('equalized_odds', ['true_positive_rate', 'false_positive_rate']),
            ('predictive_parity', ['precision']),
        ] %}
        {%- set reasons = [] %}
        {%- for name in names %}
            {%- do reasons.append(customer_segmentation.fairness_flag_reason(
                'is_' ~ name ~ '_rule_met', name ~ '_difference', name ~ '_difference',
                name ~ '_difference_ci_lower', name ~ '_difference_ci_upper',
                'comparison_confidence_level', '+-' ~ parity_threshold
            )) %}
            {%- if not loop.last %}{% do reasons.append("'; '") %}{% endif %}
        {%- endfor %}
        case
            when is_suppressed then null
            when is_low_confidence then {{ not_tested }}
            else {{ dbt.concat(reasons) if reasons | length > 1 else reasons[0] }}
        end as {{ metric }}_flag_reason{{ ',' if not loop.last }}
        {%- endfor %}
    from flagged

)

select * from final
