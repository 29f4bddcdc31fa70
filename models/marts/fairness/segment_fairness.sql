{#- Demographic parity of segment membership: for every protected attribute (and
    two-way intersection), group and segment, the group's share in the segment
    against the population's, with a Wilson interval, comparisons to the best and
    worst group, and flags. Small groups are suppressed (no figures published). -#}
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

    -- best and worst over the published groups only
    select
        attribute_name,
        segment_id,
        max(group_share) as best_group_share,
        min(group_share) as worst_group_share
    from shares
    where not is_suppressed
    group by attribute_name, segment_id

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
            as ratio_to_worst
    from shares
    left join extremes
        on shares.attribute_name = extremes.attribute_name
        and shares.segment_id = extremes.segment_id

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
        case
            when not is_suppressed
                then abs(difference_to_population) > {{ parity_threshold }}
        end as is_parity_flagged,
        case
            when not is_suppressed
                then coalesce(ratio_to_best < {{ four_fifths_ratio }}, false)
        end as is_four_fifths_flagged,
        is_low_confidence,
        is_suppressed
    from compared

)

select * from final
