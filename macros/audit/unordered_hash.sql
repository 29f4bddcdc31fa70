{#
    An aggregate expression: a fingerprint of a relation's rows that does not depend
    on their order (two tables holding the same multiset of rows give the same value).
    Each row is written as text (columns in name order, nulls marked) and hashed; the
    row hashes are combined order-independently. Use as
    `select {{ unordered_hash(relation) }} from {{ relation }}`.
    Arguments:
        relation:     the relation whose columns are read (at execution time); none to
                      hash the given columns of any query (no float handling).
        columns:      column names to use instead of every column of the relation.
        float_digits: when set, floating-point columns are written with this many
                      significant digits (DuckDB; decimal places elsewhere) and values
                      under 1e-12 in size as 0, so last-bit noise from float arithmetic
                      does not change the fingerprint of fitted parameters.
#}
{% macro unordered_hash(relation, columns=none, float_digits=none) %}
    {{ return(adapter.dispatch('unordered_hash', 'customer_segmentation')(relation, columns, float_digits)) }}
{% endmacro %}

{#- default: md5 of the sorted, concatenated row hashes (listagg with an order). -#}
{% macro default__unordered_hash(relation, columns=none, float_digits=none) -%}
    {%- set float_format = 'cast(round({x}, ' ~ float_digits ~ ') as ' ~ dbt.type_string() ~ ')' -%}
    {%- set row_hash = dbt.hash(customer_segmentation._row_text(relation, columns, float_digits, float_format)) -%}
    {{ dbt.hash(dbt.listagg(row_hash, "''", 'order by ' ~ row_hash)) }}
{%- endmacro %}

{#- DuckDB: a sum of 64-bit row hashes (md5-based, stable across versions), no sort. -#}
{% macro duckdb__unordered_hash(relation, columns=none, float_digits=none) -%}
    {%- set float_format = "case when abs({x}) < 1e-12 then '0' else printf('%."
        ~ ((float_digits or 1) - 1) ~ "e', {x}) end" -%}
    md5(cast(sum(md5_number_lower(
        {{ customer_segmentation._row_text(relation, columns, float_digits, float_format) }}
    )) as varchar))
{%- endmacro %}

{#- One row as text: every column cast to text in name order, '\N' for null, '|' between;
    float columns through float_format ({x} is the column) when float_digits is set. -#}
{% macro _row_text(relation, columns, float_digits, float_format) -%}
    {%- set names = [] -%}
    {%- set float_names = [] -%}
    {%- if relation is none -%}
        {%- do names.extend(columns or []) -%}
    {%- elif execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if columns is none or column.name in columns -%}
                {%- do names.append(column.name) -%}
                {%- if column.is_float() -%}
                    {%- do float_names.append(column.name) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if names | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set parts = [] -%}
        {%- for name in names | sort -%}
            {%- set quoted = adapter.quote(name) -%}
            {%- if float_digits is not none and name in float_names -%}
                {%- set text = float_format | replace('{x}', quoted) -%}
            {%- else -%}
                {%- set text = 'cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ')' -%}
            {%- endif -%}
            {%- do parts.append("coalesce(" ~ text ~ ", '\\N')") -%}
            {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}
