-- Literal rows through population_stability_term: equal shares add nothing, the term
-- is symmetric in sign (0.2 vs 0.1 and 0.1 vs 0.2 give 0.1 * ln 2), and an empty bin
-- counts as epsilon (0 vs 0.1 with epsilon 0.0001: (0.0001 - 0.1) * ln(0.001)).
{% set cases = [
    ('0.1', '0.1', '0.0'),
    ('0.2', '0.1', '0.06931471805599453'),
    ('0.1', '0.2', '0.06931471805599453'),
    ('0.0', '0.1', '0.6900847523703155'),
    ('0.0', '0.0', '0.0'),
] %}

with cases as (

    {%- for actual, expected, psi in cases %}
    select
        cast({{ actual }} as double) as actual,
        cast({{ expected }} as double) as expected,
        cast({{ psi }} as double) as expected_term
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        *,
        {{ customer_segmentation.population_stability_term('actual', 'expected', 0.0001) }} as term
    from cases

)

select *
from computed
where not coalesce(abs(term - expected_term) < 1e-12, false)
