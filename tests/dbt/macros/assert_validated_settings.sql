-- Valid settings pass the var checks unchanged (a date as YYYY-MM-DD, a number within
-- its bounds, null where allowed, a text with its quotes doubled for an SQL literal, a
-- list of column names). The refusals stop compilation, so pytest checks them
-- (tests/python/test_input_contract.py, the var cases).
{% set cases = [
    ('leap day', customer_segmentation.validated_date('2024-02-29', 'var as_of_date'), '2024-02-29'),
    ('no date', customer_segmentation.validated_date(none, 'var as_of_date') is none, true),
    ('share', customer_segmentation.validated_number(0.05, 'var x', 0, 1), 0.05),
    ('count', customer_segmentation.validated_number(30, 'var x', 0, whole=true), 30),
    ('switched off', customer_segmentation.validated_number(none, 'var x', 1, allow_none=true) is none, true),
    ('quoted id', customer_segmentation.validated_text("K'1", 'var x', 'an id'), "K''1"),
    ('numeric id', customer_segmentation.validated_text(42, 'var x', 'an id'), '42'),
    (
        'names',
        customer_segmentation.validated_identifiers(['annual_income', 'Has_Defaulted'], 'var x') | join(','),
        'annual_income,Has_Defaulted',
    ),
    (
        'profile list',
        customer_segmentation.validated_profile_columns(['annual_income']) | map(attribute='type') | join(','),
        'number',
    ),
    (
        'profile types',
        customer_segmentation.validated_profile_columns({
            'tenure': 'number', 'partner': 'Boolean', 'plan': 'categorical',
            'contract': {'type': 'ordinal', 'levels': ['Monthly', ' Yearly ', 2]},
        }) | map(attribute='type') | join(','),
        'number,boolean,categorical,ordinal',
    ),
    (
        'ordinal levels',
        (customer_segmentation.validated_profile_columns({
            'contract': {'type': 'ordinal', 'levels': ['Monthly', ' Yearly ', 2]},
        })[0].levels) | join(','),
        'Monthly,Yearly,2',
    ),
] %}

with cases as (

    {%- for case_name, actual, expected in cases %}
    select
        '{{ case_name }}' as case_name,
        '{{ actual | string | replace("'", "''") }}' as actual_value,
        '{{ expected | string | replace("'", "''") }}' as expected_value
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select *
from cases
where actual_value != expected_value
