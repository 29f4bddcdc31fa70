{#- One multi-class parity measure per attribute (and intersection): how far the
    most different group's distribution over all segments is from the population's
    (total-variation distance), with the worst group and the worst segment. Measured
    over the groups with at least fairness_min_group_size customers, whose figures
    are not dominated by noise. Flagged under the rule of segment_fairness: the
    distance's lower bound comes from its simultaneous (Bonferroni) intervals. -#}
{%- set total_variation_threshold = customer_segmentation.validated_number(
    var('fairness_total_variation_threshold'), 'var fairness_total_variation_threshold', 0, 1
) -%}
{%- set parity_threshold = customer_segmentation.validated_number(
    var('fairness_parity_threshold'), 'var fairness_parity_threshold', 0, 1
) -%}
{%- set settings = customer_segmentation.fairness_flag_settings() -%}

with fairness as (

    select * from {{ ref('segment_fairness') }}

),

groups as (

    select
        attribute_name,
        group_name,
        max(case when is_intersection then 1 else 0 end) as is_intersection,
        max(case when is_suppressed then 1 else 0 end) as is_suppressed,
        max(case when is_low_confidence then 1 else 0 end) as is_low_confidence,
        -- half the L1 distance between the group's and the population's segment mix
        0.5 * sum(abs(difference_to_population)) as total_variation,
        -- the intervals hold together over the attribute (at the family-wise level,
        -- under bonferroni), so the distance is at least half the sum of each
        -- segment's distance from no difference
        0.5 * sum(
            case
                when difference_ci_lower > 0 then difference_ci_lower
                when difference_ci_upper < 0 then -difference_ci_upper
                else 0
            end
        ) as total_variation_ci_lower,
        sum(case when is_parity_flagged then 1 else 0 end) as parity_flagged_cells,
        sum(case when is_four_fifths_flagged then 1 else 0 end) as four_fifths_flagged_cells
    from fairness
    group by attribute_name, group_name

),

group_counts as (

    select
        attribute_name,
        max(is_intersection) as is_intersection,
        count(*) as group_count,
        sum(1 - is_suppressed) as published_group_count,
        sum(is_suppressed) as suppressed_group_count,
        sum(is_low_confidence) as low_confidence_group_count,
        sum(1 - is_low_confidence) as measured_group_count,
        sum(parity_flagged_cells) as parity_flagged_cells,
        sum(four_fifths_flagged_cells) as four_fifths_flagged_cells
    from groups
    group by attribute_name

),

worst_groups as (

    select
        attribute_name,
        group_name,
        total_variation,
        total_variation_ci_lower,
        row_number() over (
            partition by attribute_name order by total_variation desc, group_name asc
        ) as distance_rank
    from groups
    where is_low_confidence = 0

),

segment_parity as (

    select
        attribute_name,
        segment_id,
        max(group_share) - min(group_share) as parity_difference,
        {{ customer_segmentation.safe_divide('min(group_share)', 'max(group_share)') }}
            as parity_ratio
    from fairness
    where not is_low_confidence
    group by attribute_name, segment_id

),

worst_segments as (

    select
        attribute_name,
        segment_id,
        parity_difference,
        row_number() over (
            partition by attribute_name order by parity_difference desc, segment_id asc
        ) as parity_rank
    from segment_parity

),

ratios as (

    select
        attribute_name,
        min(parity_ratio) as min_parity_ratio
    from segment_parity
    group by attribute_name

),

measured as (

    select
        group_counts.*,
        -- with fewer than two measured groups there is nothing to compare
        group_counts.measured_group_count >= 2 as is_assessable,
        worst_groups.total_variation,
        worst_groups.total_variation_ci_lower,
        worst_groups.group_name as worst_group_name,
        worst_segments.parity_difference,
        worst_segments.segment_id as worst_segment_id,
        ratios.min_parity_ratio
    from group_counts
    left join worst_groups
        on group_counts.attribute_name = worst_groups.attribute_name
        and worst_groups.distance_rank = 1
    left join worst_segments
        on group_counts.attribute_name = worst_segments.attribute_name
        and worst_segments.parity_rank = 1
    left join ratios
        on group_counts.attribute_name = ratios.attribute_name

),

flagged as (

    select
        *,
        coalesce(is_assessable, false) and {{ customer_segmentation.fairness_flag(
            'total_variation', 'total_variation_ci_lower', none, above=total_variation_threshold
        ) }} as is_total_variation_rule_met
    from measured

),

final as (

    select
        attribute_name,
        is_intersection = 1 as is_intersection,
        cast(group_count as {{ dbt.type_bigint() }}) as group_count,
        cast(published_group_count as {{ dbt.type_bigint() }}) as published_group_count,
        cast(suppressed_group_count as {{ dbt.type_bigint() }}) as suppressed_group_count,
        cast(low_confidence_group_count as {{ dbt.type_bigint() }}) as low_confidence_group_count,
        cast(measured_group_count as {{ dbt.type_bigint() }}) as measured_group_count,
        is_assessable,
        case when is_assessable then total_variation end as max_total_variation,
        case when is_assessable then worst_group_name end as worst_group_name,
        case when is_assessable then parity_difference end as max_parity_difference,
        case when is_assessable then worst_segment_id end as worst_segment_id,
        case when is_assessable then min_parity_ratio end as min_parity_ratio,
        cast(parity_flagged_cells as {{ dbt.type_bigint() }}) as parity_flagged_cells,
        cast(four_fifths_flagged_cells as {{ dbt.type_bigint() }}) as four_fifths_flagged_cells,
        is_total_variation_rule_met as is_total_variation_flagged,
        -- beyond the threshold, with a parity flag under the rule to support it
        coalesce(
            is_assessable and parity_difference > {{ parity_threshold }} and parity_flagged_cells > 0, false
        ) as is_parity_difference_flagged,
        case when is_assessable then total_variation_ci_lower end as max_total_variation_ci_lower,
        cast('{{ settings.text }}' as {{ dbt.type_string() }}) as flag_rule,
        case
            when is_assessable then {{ customer_segmentation.fairness_flag_reason(
                'is_total_variation_rule_met', 'max_total_variation', 'total_variation',
                'total_variation_ci_lower', none, settings.confidence_level,
                'above ' ~ total_variation_threshold
            ) }}
        end as total_variation_flag_reason
    from flagged

)

select * from final
