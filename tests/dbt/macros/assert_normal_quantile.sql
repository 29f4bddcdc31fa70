-- Literal probabilities through normal_quantile against scipy.stats.norm.ppf, to 1e-8
-- (Acklam's approximation is good to about 1e-9 relative) in both tails and the centre;
-- 0, 1 and null give null.
{% set cases = [
    (0.975, '1.959963984540054'),
    (0.5, '0.0'),
    (0.9995, '3.2905267314919255'),
    (0.99999, '4.264890793923841'),
    (0.999999999, '5.997807019601637'),
    (0.01, '-2.3263478740408408'),
    (0.02425, '-1.972961051311885'),
    (0.3, '-0.5244005127080409'),
    (0, 'null'),
    (1, 'null'),
    ('null', 'null'),
] %}

with cases as (

    {%- for probability, expected in cases %}
    select
        cast({{ probability }} as double) as probability,
        cast({{ expected }} as double) as expected
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

computed as (

    select
        *,
        {{ customer_segmentation.normal_quantile('probability') }} as actual
    from cases

)

select *
from computed
where not coalesce(abs(actual - expected) < 1e-8, actual is null and expected is null)
