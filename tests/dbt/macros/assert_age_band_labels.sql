-- Feeds literal ages through the age_band macro and returns any wrong label.
with ages as (

    select
        cast(null as integer) as age_years,
        'unknown' as expected_band
    union all select 17, 'under 25'
    union all select 24, 'under 25'
    union all select 25, '25-34'
    union all select 34, '25-34'
    union all select 64, '55-64'
    union all select 65, '65+'
    union all select 99, '65+'

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
