{#- Demographic parity of segment membership: for every protected attribute (and
    two-way intersection), group and segment, the group's share in the segment
    against the population's, with a Wilson interval, comparisons to the best and
    worst group, and flags raised only where the data support them (the interval of
    the difference, Bonferroni-corrected over the attribute's comparisons:
    fairness_flag_settings). Small groups are suppressed (no figures published) or
    reported but not flagged. -#}
{%- set attribute_sets = customer_segmentation.fairness_attribute_sets() -%}
{%- set parity_threshold = customer_segmentation.validated_number(
    var('fairness_parity_threshold'), 'var fairness_parity_threshold', 0, 1
) -%}
{%- set four_fifths_ratio = customer_segmentation.validated_number(
    var('fairness_four_fifths_ratio'), 'var fairness_four_fifths_ratio', 0, 1
) -%}
{%- set min_group_size = customer_segmentation.validated_number(
    var('fairness_min_group_size'), 'var fairness_min_group_size', 0, whole=true
) -%}
{%- set suppress_below = customer_segmentation.validated_number(
    var('fairness_suppress_below'), 'var fairness_suppress_below', 0, whole=true
) -%}
{%- set settings = customer_segmentation.fairness_flag_settings() -%}

with attributes as (

    select * from {{ ref('int_customer_attributes') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

customer_groups as (

    -- one row per customer and attribute set (a portable unpivot)
    {{ customer_segmentation.protected_groups('attributes', attribute_sets) }}

),

segmented as (

    select
        customer_groups.attribute_name,
        customer_groups.group_name,
        customer_groups.is_intersection,
        segments.segment_id
    from customer_groups
    inner join segments
        on customer_groups.customer_id = segments.customer_id

),

population as (

    select count(*) as population_customers from segments

),

segment_sizes as (

    select
        segment_id,
        count(*) as segment_customers
    from segments
    group by segment_id

),

group_sizes as (

    select
        attribute_name,
        group_name,
        is_intersection,
        count(*) as group_customers
    from segmented
    group by attribute_name, group_name, is_intersection

),

group_segment_counts as (

    select
        attribute_name,
        group_name,
        segment_id,
        count(*) as customers
    from segmented
    group by attribute_name, group_name, segment_id

),

grid as (

    -- every group in every segment, so a group absent from a segment shows 0
    select
        group_sizes.attribute_name,
        group_sizes.group_name,
        group_sizes.is_intersection,
        segment_sizes.segment_id,
        group_sizes.group_customers,
        coalesce(group_segment_counts.customers, 0) as customers,
        segment_sizes.segment_customers,
        population.population_customers,
        {{ customer_segmentation.safe_divide(
            'segment_sizes.segment_customers', 'population.population_customers'
        ) }} as population_share
    from group_sizes
    cross join segment_sizes
    cross join population
    left join group_segment_counts
        on group_sizes.attribute_name = group_segment_counts.attribute_name
        and group_sizes.group_name = group_segment_counts.group_name
        and segment_sizes.segment_id = group_segment_counts.segment_id

),

shares as (

    select
        *,
        {{ customer_segmentation.safe_divide('customers', 'group_customers') }} as group_share,
        {{ customer_segmentation.wilson_interval_bound('customers', 'group_customers', 'lower') }}
            as share_ci_lower,
        {{ customer_segmentation.wilson_interval_bound('customers', 'group_customers', 'upper') }}
            as share_ci_upper,
        group_customers < {{ min_group_size }} as is_low_confidence,
        group_customers < {{ suppress_below }} as is_suppressed
    from grid

),

extremes as (

    -- best and worst over the measured groups only: a group of a dozen customers
    -- would be the reference by chance
    select
        attribute_name,
        segment_id,
        max(group_share) as best_group_share,
        min(group_share) as worst_group_share
    from shares
    where not is_suppressed and not is_low_confidence
    group by attribute_name, segment_id

),

best_groups as (

    -- the best group's counts, for the interval of the ratio to it (ties: first name)
    select
        attribute_name,
        segment_id,
        customers as best_customers,
        group_customers as best_group_customers
    from (
        select
            attribute_name,
            segment_id,
            customers,
            group_customers,
            row_number() over (
                partition by attribute_name, segment_id order by group_share desc, group_name asc
            ) as share_rank
        from shares
        where not is_suppressed and not is_low_confidence
    ) as ranked
    where share_rank = 1

),

families as (

    -- Bonferroni family: every comparison the mart makes for the attribute (each
    -- measured group in each segment, to the population and to the best group)
    select
        attribute_name,
        2 * count(*) as comparison_count
    from shares
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
        shares.*,
        extremes.best_group_share,
        extremes.worst_group_share,
        extremes.best_group_share - extremes.worst_group_share as parity_difference,
        {{ customer_segmentation.safe_divide(
            'extremes.worst_group_share', 'extremes.best_group_share'
        ) }} as parity_ratio,
        shares.group_share - shares.population_share as difference_to_population,
        shares.group_share - extremes.best_group_share as difference_to_best,
        {{ customer_segmentation.safe_divide('shares.group_share', 'extremes.best_group_share') }}
            as ratio_to_best,
        shares.group_share - extremes.worst_group_share as difference_to_worst,
        {{ customer_segmentation.safe_divide('shares.group_share', 'extremes.worst_group_share') }}
            as ratio_to_worst,
        -- the rest of the population, independent of the group
        shares.segment_customers - shares.customers as rest_customers,
        shares.population_customers - shares.group_customers as rest_group_customers,
        best_groups.best_customers,
        best_groups.best_group_customers,
        quantiles.comparison_count,
        quantiles.comparison_confidence_level,
        quantiles.comparison_z
    from shares
    left join extremes
        on shares.attribute_name = extremes.attribute_name
        and shares.segment_id = extremes.segment_id
    left join best_groups
        on shares.attribute_name = best_groups.attribute_name
        and shares.segment_id = best_groups.segment_id
    left join quantiles
        on shares.attribute_name = quantiles.attribute_name

),

bounded as (

    -- every share's interval at the comparison's level
    select
        *,
        {{ customer_segmentation.safe_divide('rest_customers', 'rest_group_customers') }} as rest_share,
        {{ customer_segmentation.wilson_interval_bound('customers', 'group_customers', 'lower', 'comparison_z') }}
            as group_lower,
        {{ customer_segmentation.wilson_interval_bound('customers', 'group_customers', 'upper', 'comparison_z') }}
            as group_upper,
        {{ customer_segmentation.wilson_interval_bound(
            'rest_customers', 'rest_group_customers', 'lower', 'comparison_z'
        ) }} as rest_lower,
        {{ customer_segmentation.wilson_interval_bound(
            'rest_customers', 'rest_group_customers', 'upper', 'comparison_z'
        ) }} as rest_upper,
        {{ customer_segmentation.wilson_interval_bound(
            'best_customers', 'best_group_customers', 'lower', 'comparison_z'
        ) }} as best_lower,
        {{ customer_segmentation.wilson_interval_bound(
            'best_customers', 'best_group_customers', 'upper', 'comparison_z'
        ) }} as best_upper
    from compared

),

intervals as (

    -- group - population = (1 - n_group / n_all) * (group - rest): Newcombe's interval
    -- of group - rest, scaled
    select
        *,
        (1 - {{ customer_segmentation.safe_divide('group_customers', 'population_customers') }})
        * {{ customer_segmentation.difference_interval_bound(
            'group_share', 'group_lower', 'group_upper', 'rest_share', 'rest_lower', 'rest_upper', 'lower'
        ) }} as difference_ci_lower,
        (1 - {{ customer_segmentation.safe_divide('group_customers', 'population_customers') }})
        * {{ customer_segmentation.difference_interval_bound(
            'group_share', 'group_lower', 'group_upper', 'rest_share', 'rest_lower', 'rest_upper', 'upper'
        ) }} as difference_ci_upper,
        {{ customer_segmentation.ratio_interval_upper_bound(
            'group_share', 'group_lower', 'group_upper', 'best_group_share', 'best_lower', 'best_upper'
        ) }} as ratio_to_best_ci_upper
    from bounded

),

flagged as (

    select
        *,
        not is_low_confidence and {{ customer_segmentation.fairness_flag(
            'difference_to_population', 'difference_ci_lower', 'difference_ci_upper',
            below=-parity_threshold, above=parity_threshold
        ) }} as is_parity_rule_met,
        not is_low_confidence and {{ customer_segmentation.fairness_flag(
            'ratio_to_best', none, 'ratio_to_best_ci_upper', below=four_fifths_ratio, no_difference=1
        ) }} as is_four_fifths_rule_met
    from intervals

),

final as (

    select
        attribute_name,
        group_name,
        segment_id,
        is_intersection,
        case when not is_suppressed then group_customers end as group_customers,
        case when not is_suppressed then customers end as customers,
        case when not is_suppressed then group_share end as group_share,
        case when not is_suppressed then share_ci_lower end as share_ci_lower,
        case when not is_suppressed then share_ci_upper end as share_ci_upper,
        population_share,
        case when not is_suppressed then difference_to_population end as difference_to_population,
        case when not is_suppressed then difference_to_best end as difference_to_best,
        case when not is_suppressed then ratio_to_best end as ratio_to_best,
        case when not is_suppressed then difference_to_worst end as difference_to_worst,
        case when not is_suppressed then ratio_to_worst end as ratio_to_worst,
        best_group_share,
        worst_group_share,
        parity_difference,
        parity_ratio,
        case when not is_suppressed then is_parity_rule_met end as is_parity_flagged,
        case when not is_suppressed then is_four_fifths_rule_met end as is_four_fifths_flagged,
        is_low_confidence,
        is_suppressed,
        case when not is_suppressed and not is_low_confidence then difference_ci_lower end
            as difference_ci_lower,
        case when not is_suppressed and not is_low_confidence then difference_ci_upper end
            as difference_ci_upper,
        case when not is_suppressed and not is_low_confidence then ratio_to_best_ci_upper end
            as ratio_to_best_ci_upper,
        comparison_count,
        comparison_confidence_level,
        cast('{{ settings.text }}' as {{ dbt.type_string() }}) as flag_rule,
        {%- for flag, figure, estimate, lower, upper, threshold in [
            ('is_parity_rule_met', 'difference_to_population', 'difference_to_population',
                'difference_ci_lower', 'difference_ci_upper', '+-' ~ parity_threshold),
            ('is_four_fifths_rule_met', 'ratio_to_best', 'ratio_to_best', none,
                'ratio_to_best_ci_upper', 'below ' ~ four_fifths_ratio),
        ] %}
        case
            when is_suppressed then null
            when is_low_confidence
                then {{ dbt.concat([
                    "'not tested: '", 'cast(group_customers as ' ~ dbt.type_string() ~ ')',
                    "' customers, under fairness_min_group_size " ~ min_group_size ~ "'",
                ]) }}
            else {{ customer_segmentation.fairness_flag_reason(
                flag, figure, estimate, lower, upper, 'comparison_confidence_level', threshold
            ) }}
        end as {{ 'parity' if loop.first else 'four_fifths' }}_flag_reason{{ ',' if loop.first }}
        {%- endfor %}
    from flagged

)

select * from final
