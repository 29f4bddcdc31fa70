-- percentile_in_set gives what percentile gives for each fraction of the set (nulls
-- ignored, linear interpolation between values); any row returned is a mismatch.
with cases as (

    {%- for value in ['3.0', '1.0', 'null', '10.0', '4.0', '7.5'] %}
    select cast({{ value }} as {{ customer_segmentation.type_double() }}) as value
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        {%- for fraction in [0.1, 0.5, 0.9] %}
        {{ customer_segmentation.percentile_in_set('value', fraction, [0.1, 0.5, 0.9]) }} as in_set_{{ loop.index }},
        {{ customer_segmentation.percentile('value', fraction) }} as alone_{{ loop.index }},
        {%- endfor %}
        count(*) as row_count
    from cases

)

select *
from computed
where
    in_set_1 != alone_1
    or in_set_2 != alone_2
    or in_set_3 != alone_3
    or in_set_2 != 4.0
