-- Literal rows through safe_divide and try_cast: zero or null denominators and
-- non-numeric text give null, never an error, inf or NaN.
{% set cases = [
    ('1.0', '0.0', "'n/a'", 'null', 'null'),
    ('1.0', 'null', "''", 'null', 'null'),
    ('3.0', '2.0', "'2.5'", '1.5', '2.5'),
] %}

with cases as (

    {%- for numerator, denominator, text_value, ratio, number in cases %}
    select
        cast({{ numerator }} as double) as numerator,
        cast({{ denominator }} as double) as denominator,
        cast({{ text_value }} as {{ dbt.type_string() }}) as text_value,
        cast({{ ratio }} as double) as expected_ratio,
        cast({{ number }} as double) as expected_number
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

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
