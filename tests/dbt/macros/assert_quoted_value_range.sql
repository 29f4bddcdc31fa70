-- Literal ranges through quoted_value_range: two values quoted and listed, one value
-- once, nothing as null.
{#- a double as text is the engine's: DuckDB writes it out, Spark in exponent form -#}
{% set large = "'''1.0E15'''" if target.type == 'spark' else "'''1000000000000000.0'''" %}
{% set cases = [
    ("'2031-01-04'", "'2031-06-01'", "'''2031-01-04'', ''2031-06-01'''"),
    ('cast(1e15 as double)', 'cast(1e15 as double)', large),
    ('null', 'null', 'null'),
] %}

with cases as (

    {%- for smallest, largest, expected in cases %}
    select
        {{ loop.index }} as case_number,
        cast({{ expected }} as {{ dbt.type_string() }}) as expected_examples,
        {{ customer_segmentation.quoted_value_range(smallest, largest) }} as actual_examples
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select *
from cases
where actual_examples is distinct from expected_examples
