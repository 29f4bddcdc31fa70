-- Literal counts through wilson_interval_bound and difference_interval_bound against
-- Newcombe (1998, Table II, method 10: 56/70 - 48/80 is 0.0524 to 0.3339, 9/10 - 3/10
-- 0.1705 to 0.8090, 5/56 - 0/29 -0.0381 to 0.1926; here to 1e-9 from scipy's Wilson
-- intervals), and ratio_interval_upper_bound against the MOVER-R formula on the same
-- intervals; a reference share of 0 gives a null ratio bound.
{% set cases = [
    (56, 70, 48, 80, '0.052431472402364815', '0.3338726540369059', '1.6629199665110783'),
    (9, 10, 3, 10, '0.17052272393450302', '0.8090179735354881', none),
    (5, 56, 0, 29, '-0.03813714790353688', '0.1925600138551116', 'null'),
    (3, 10, 9, 10, none, none, '0.7562028443819174'),
    (0, 29, 5, 56, none, none, '1.5892156399177444'),
    (40, 100, 80, 100, none, none, '0.641712813542631'),
] %}

with cases as (

    {%- for successes_1, trials_1, successes_2, trials_2, lower, upper, ratio_upper in cases %}
    select
        cast({{ successes_1 }} as double) / {{ trials_1 }} as estimate_1,
        cast({{ successes_2 }} as double) / {{ trials_2 }} as estimate_2,
        {{ customer_segmentation.wilson_interval_bound(successes_1, trials_1, 'lower') }} as lower_1,
        {{ customer_segmentation.wilson_interval_bound(successes_1, trials_1, 'upper') }} as upper_1,
        {{ customer_segmentation.wilson_interval_bound(successes_2, trials_2, 'lower') }} as lower_2,
        {{ customer_segmentation.wilson_interval_bound(successes_2, trials_2, 'upper') }} as upper_2,
        cast({{ lower if lower is not none else 'null' }} as double) as expected_lower,
        cast({{ upper if upper is not none else 'null' }} as double) as expected_upper,
        cast({{ ratio_upper if ratio_upper is not none else 'null' }} as double) as expected_ratio_upper,
        {{ 'true' if lower is not none else 'false' }} as checks_difference,
        {{ 'true' if ratio_upper is not none else 'false' }} as checks_ratio
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        *,
        {{ customer_segmentation.difference_interval_bound(
            'estimate_1', 'lower_1', 'upper_1', 'estimate_2', 'lower_2', 'upper_2', 'lower'
        ) }} as actual_lower,
        {{ customer_segmentation.difference_interval_bound(
            'estimate_1', 'lower_1', 'upper_1', 'estimate_2', 'lower_2', 'upper_2', 'upper'
        ) }} as actual_upper,
        {{ customer_segmentation.ratio_interval_upper_bound(
            'estimate_1', 'lower_1', 'upper_1', 'estimate_2', 'lower_2', 'upper_2'
        ) }} as actual_ratio_upper
    from cases

)

select *
from computed
where (checks_difference and not coalesce(
    abs(actual_lower - expected_lower) < 1e-9 and abs(actual_upper - expected_upper) < 1e-9, false
))
or (checks_ratio and not coalesce(
    abs(actual_ratio_upper - expected_ratio_upper) < 1e-9,
    actual_ratio_upper is null and expected_ratio_upper is null
))
