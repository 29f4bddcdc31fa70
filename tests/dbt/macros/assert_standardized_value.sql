-- Literal rows through standardized_value and scaled_feature: a null is imputed before
-- the transform, log1p is the signed log (ln(e) = 1, so e - 1 maps to 1 and 1 - e to
-- -1), and the result is standardized with the given mean and standard deviation.
{% set cases = [
    ('3.0', "'none'", '0.0', '1.0', '2.0', '1.0'),
    ('null', "'none'", '5.0', '1.0', '2.0', '2.0'),
    ('1.718281828459045', "'log1p'", '0.0', '0.0', '1.0', '1.0'),
    ('-1.718281828459045', "'log1p'", '0.0', '0.0', '1.0', '-1.0'),
    ('null', "'log1p'", '1.718281828459045', '2.0', '0.5', '-2.0'),
] %}

with cases as (

    {%- for value, transform, impute_value, mean, std_dev, expected in cases %}
    select
        cast({{ value }} as double) as feature_value,
        cast({{ transform }} as {{ dbt.type_string() }}) as transform,
        cast({{ impute_value }} as double) as impute_value,
        cast({{ mean }} as double) as mean,
        cast({{ std_dev }} as double) as std_dev,
        cast({{ expected }} as double) as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        *,
        {{ customer_segmentation.standardized_value(
            'feature_value', 'transform', 'impute_value', 'mean', 'std_dev'
        ) }} as actual,
        {{ customer_segmentation.scaled_feature('feature_value', 'cases') }} as actual_from_columns
    from cases

)

select *
from computed
where not coalesce(abs(actual - expected) < 1e-12, false)
    or not coalesce(abs(actual_from_columns - expected) < 1e-12, false)
