{#
    An aggregate expression: a fingerprint of a relation's rows that does not depend
    on their order (two tables holding the same multiset of rows give the same value).
    Each row (columns in name order) is hashed and the row hashes are combined
    order-independently: on DuckDB with the engine's hash() of the typed values (compare
    fingerprints made by the same DuckDB version), elsewhere with md5 of the row as
    text, nulls marked. Use as
    `select {{ unordered_hash(relation) }} from {{ relation }}`.
    Arguments:
        relation:     the relation whose columns are read (at execution time); none to
                      hash the given columns of any query (no float handling).
        columns:      column names to use instead of every column of the relation.
        float_digits: when set, floating-point columns are rounded to this many
                      significant digits (DuckDB; decimal places elsewhere) and values
                      under 1e-12 in size taken as 0, so last-bit noise from float arithmetic
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

{#- DuckDB: a sum of the engine's 64-bit hashes of the typed column values, no sort and
    no text (writing every value as text for md5 was the slow part at millions of lines:
    docs/benchmarks.md). DuckDB does not promise hash() stays the same across its
    releases, so these fingerprints compare between builds on the same DuckDB version
    (run_manifest records it in the same row). Floats with float_digits are rounded to
    that many significant digits as numbers. -#}
{% macro duckdb__unordered_hash(relation, columns=none, float_digits=none) -%}
    {%- set float_format = "case when not isfinite({x}) then {x} when abs({x}) < 1e-12 then 0.0"
        ~ " else round({x}, " ~ ((float_digits or 1) - 1)
        ~ " - cast(floor(log10(abs({x}))) as integer)) end" -%}
    {%- set expressions = [] -%}
    {%- for value in customer_segmentation._row_values(relation, columns, float_digits, float_format) -%}
        {%- do expressions.append(value.sql) -%}
    {%- endfor -%}
    md5(cast(sum(cast(hash({{ expressions | join(', ') if expressions else 'null' }}) as hugeint)) as varchar))
{%- endmacro %}

{#- Spark: the same sum of 64-bit row hashes (xxhash64 of the typed values, with the
    row's null pattern, which xxhash64 alone skips), summed across tasks as a
    decimal(38,0). The default's sorted listagg collects every row's hash into one
    task's string, which ran the JVM out of heap at 1M customers (docs/benchmarks.md).
    Floats with float_digits are rounded to that many decimal places. -#}
{% macro spark__unordered_hash(relation, columns=none, float_digits=none) -%}
    {%- set float_format = 'case when abs({x}) < 1e-12 then 0.0 else round({x}, ' ~ (float_digits or 0) ~ ') end' -%}
    {%- set expressions = [] -%}
    {%- set null_flags = [] -%}
    {%- for value in customer_segmentation._row_values(relation, columns, float_digits, float_format) -%}
        {%- do expressions.append(value.sql) -%}
        {%- do null_flags.append(value.sql ~ ' is null') -%}
    {%- endfor -%}
    {%- if expressions -%}
    md5(cast(sum(cast(xxhash64(array({{ null_flags | join(', ') }}), {{ expressions | join(', ') }}) as decimal(38, 0))) as string))
    {%- else -%}
    md5(cast(count(*) as string))
    {%- endif -%}
{%- endmacro %}

{#- The columns of a row in name order, as {'sql': expression, 'is_formatted': bool}:
    float columns through float_format ({x} is the column) when float_digits is set. -#}
{% macro _row_values(relation, columns, float_digits, float_format) -%}
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
    {%- set values = [] -%}
    {%- for name in names | sort -%}
        {%- set quoted = adapter.quote(name) -%}
        {%- if float_digits is not none and name in float_names -%}
            {%- do values.append({'sql': float_format | replace('{x}', quoted), 'is_formatted': true}) -%}
        {%- else -%}
            {%- do values.append({'sql': quoted, 'is_formatted': false}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(values) }}
{%- endmacro %}

{#- One row as text: every column cast to text in name order, '\\N' for null, '|' between;
    float columns through float_format ({x} is the column) when float_digits is set. -#}
{% macro _row_text(relation, columns, float_digits, float_format) -%}
    {%- set values = customer_segmentation._row_values(relation, columns, float_digits, float_format) -%}
    {%- if values | length == 0 -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set parts = [] -%}
        {%- for value in values -%}
            {%- if value.is_formatted -%}
                {%- set text = value.sql -%}
            {%- else -%}
                {%- set text = 'cast(' ~ value.sql ~ ' as ' ~ dbt.type_string() ~ ')' -%}
            {%- endif -%}
            {%- do parts.append("coalesce(" ~ text ~ ", '\\N')") -%}
            {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- endfor -%}
        {{ dbt.concat(parts) }}
    {%- endif -%}
{%- endmacro %}
