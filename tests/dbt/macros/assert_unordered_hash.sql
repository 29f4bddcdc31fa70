-- unordered_hash over literal rows: the same rows in another order give the same
-- fingerprint; one changed value, a dropped duplicate, a null for an empty string,
-- the same column values paired into other rows or a value moved into another column's
-- null give a different one.
{% set columns = ['id', 'code', 'label'] %}
{% set tables = {
    'original': [(1, 'null', "'a'"), (2, 7, "'b'"), (2, 7, "'b'"), (3, 8, "''")],
    'reordered': [(3, 8, "''"), (2, 7, "'b'"), (1, 'null', "'a'"), (2, 7, "'b'")],
    'changed': [(1, 'null', "'a'"), (2, 7, "'c'"), (2, 7, "'b'"), (3, 8, "''")],
    'deduplicated': [(1, 'null', "'a'"), (2, 7, "'b'"), (3, 8, "''")],
    'nulled': [(1, 'null', "'a'"), (2, 7, "'b'"), (2, 7, "'b'"), (3, 8, 'null')],
    'regrouped': [(1, 'null', "'b'"), (2, 7, "'a'"), (2, 7, "'b'"), (3, 8, "''")],
    'null_moved': [('null', 1, "'a'"), (2, 7, "'b'"), (2, 7, "'b'"), (3, 8, "''")],
} %}

with rows_by_table as (

    {%- for table_name, rows in tables.items() %}
    {%- set outer_loop = loop %}
    {%- for id, code, label in rows %}
    select
        '{{ table_name }}' as table_name,
        cast({{ id }} as integer) as id,
        cast({{ code }} as integer) as code,
        cast({{ label }} as {{ dbt.type_string() }}) as label
    {% if not (outer_loop.last and loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}

),

fingerprints as (

    select
        table_name,
        {{ customer_segmentation.unordered_hash(none, columns) }} as content_hash
    from rows_by_table
    group by table_name

),

original as (

    select content_hash from fingerprints
    where table_name = 'original'

)

select
    fingerprints.table_name,
    fingerprints.content_hash
from fingerprints
cross join original
where (fingerprints.table_name = 'reordered') != (fingerprints.content_hash = original.content_hash)
    and fingerprints.table_name != 'original'
