-- Literal counts through wilson_interval_bound against the Wilson score interval from
-- scipy.stats.binomtest(k, n).proportion_ci(0.95, method='wilson'), to 1e-12; no
-- trials gives null.
{% set cases = [
    (0, 10, '0.0', '0.27753279986288926'),
    (5, 10, '0.236593090512564', '0.7634069094874361'),
    (10, 10, '0.7224672001371109', '1.0'),
    (1, 1000, '0.00017654637062607809', '0.0056425585979579355'),
    (37, 120, '0.23272736988916295', '0.3958299772380067'),
    (1, 1, '0.20654931437723745', '1.0'),
    (2467, 2470, '0.9964349399417511', '0.9995868508704273'),
    (0, 0, 'null', 'null'),
] %}

with cases as (

    {%- for successes, trials, lower, upper in cases %}
    select
        cast({{ successes }} as bigint) as successes,
        cast({{ trials }} as bigint) as trials,
        cast({{ lower }} as double) as expected_lower,
        cast({{ upper }} as double) as expected_upper
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        *,
        {{ customer_segmentation.wilson_interval_bound('successes', 'trials', 'lower') }} as actual_lower,
        {{ customer_segmentation.wilson_interval_bound('successes', 'trials', 'upper') }} as actual_upper
    from cases

)

select *
from computed
where not coalesce(abs(actual_lower - expected_lower) < 1e-12, actual_lower is null and expected_lower is null)
    or not coalesce(abs(actual_upper - expected_upper) < 1e-12, actual_upper is null and expected_upper is null)
