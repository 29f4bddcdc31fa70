-- Literal rows through safe_divide and try_cast: zero or null denominators and
-- non-numeric text give null, never an error, inf or NaN.
with cases as (

    select
        1.0 as numerator,
        0.0 as denominator,
        'n/a' as text_value,
        cast(null as double) as expected_ratio,
        cast(null as double) as expected_number
    union all select 1.0, null, '', null, null
    union all select 3.0, 2.0, '2.5', 1.5, 2.5

),

computed as (

    select
        *,
        {{ customer_segmentation.safe_divide('numerator', 'denominator') }} as actual_ratio,
        {{ customer_segmentation.try_cast('text_value', customer_segmentation.type_double()) }}
            as actual_number
    from cases

)

select *
from computed
where actual_ratio is distinct from expected_ratio
    or actual_number is distinct from expected_number
