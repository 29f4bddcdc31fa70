-- Literal values through input_typed_value (number, integer, boolean in its yes/no, y/n,
-- t/f and 1/0 forms, ordinal ranks, date, timestamp, with and without a strptime format,
-- via try_parse_datetime) and unreadable_value: a
-- value that reads gives its typed form and no unreadable text; a present value that does
-- not read (a blank too) gives null and itself as text; a missing value gives neither.
-- (An ordinal case's third field is its levels.)
{% set cases = [
    ("'12.5'", 'number', none, '12.5', 'null'),
    ("' '", 'number', none, 'null', "' '"),
    ("'n/a'", 'number', none, 'null', "'n/a'"),
    ('null', 'number', none, 'null', 'null'),
    ("'41'", 'integer', none, '41', 'null'),
    ("'yes'", 'boolean', none, 'true', 'null'),
    ("'maybe'", 'boolean', none, 'null', "'maybe'"),
    ("'No'", 'boolean', none, 'false', 'null'),
    ("'Y'", 'boolean', none, 'true', 'null'),
    ("'n'", 'boolean', none, 'false', 'null'),
    ("'1'", 'boolean', none, 'true', 'null'),
    ("'F'", 'boolean', none, 'false', 'null'),
    ("'One year'", 'ordinal', ['Month-to-month', 'One year', 'Two year'], '2', 'null'),
    ("' two YEAR '", 'ordinal', ['Month-to-month', 'One year', 'Two year'], '3', 'null'),
    ("'Three year'", 'ordinal', ['Month-to-month', 'One year', 'Two year'], 'null', "'Three year'"),
    ("'it''s'", 'ordinal', ["it's", 'other'], '1', 'null'),
    ('2', 'ordinal', [1, 2, 3], '2', 'null'),
    ("'2025-01-31'", 'date', none, "'2025-01-31'", 'null'),
    ("'31/01/2025'", 'date', none, 'null', "'31/01/2025'"),
    ("'31/01/2025'", 'date', '%d/%m/%Y', "'2025-01-31'", 'null'),
    ("'2025-01-31'", 'date', '%d/%m/%Y', 'null', "'2025-01-31'"),
    ("'31/01/2025 10:30'", 'timestamp', '%d/%m/%Y %H:%M', "'2025-01-31 10:30:00'", 'null'),
] %}

with cases as (

    {%- for given, kind, format, typed, unreadable in cases %}
    select
        {{ loop.index }} as case_number,
        cast({{ given }} as {{ dbt.type_string() }}) as given_value,
        cast({{ typed }} as {{ dbt.type_string() }}) as expected_typed,
        cast({{ unreadable }} as {{ dbt.type_string() }}) as expected_unreadable,
        cast({{ customer_segmentation.input_typed_value(
            given, kind, none if kind == 'ordinal' else format, format if kind == 'ordinal' else none
        ) }} as {{ dbt.type_string() }}) as actual_typed
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

checked as (

    select
        *,
        {{ customer_segmentation.unreadable_value('actual_typed', 'given_value') }} as actual_unreadable
    from cases

)

select *
from checked
where
    actual_typed is distinct from expected_typed
    or actual_unreadable is distinct from expected_unreadable
