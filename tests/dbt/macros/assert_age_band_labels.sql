-- Feeds literal ages through the age_band macro and returns any wrong label.
{% set cases = [
    ('null', 'unknown'), (17, 'under 25'), (24, 'under 25'), (25, '25-34'),
    (34, '25-34'), (64, '55-64'), (65, '65+'), (99, '65+'),
] %}

with ages as (

    {%- for age, band in cases %}
    select
        cast({{ age }} as integer) as age_years,
        '{{ band }}' as expected_band
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

labelled as (

    select
        age_years,
        expected_band,
        {{ customer_segmentation.age_band('age_years', [25, 35, 45, 55, 65]) }} as actual_band
    from ages

)

select *
from labelled
where actual_band != expected_band
