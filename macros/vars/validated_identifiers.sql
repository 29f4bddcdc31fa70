{#
    A setting that names columns (e.g. var customer_profile_columns), checked before the
    names become column names in SQL: a list of names of letters, digits and
    underscores, not starting with a digit, no name twice, none an SQL keyword (such a
    name breaks the models' SQL: name it otherwise and map it with var input_columns).
    Returns the list.
    Arguments:
        names:   the setting's value.
        setting: how the message names it, e.g. 'var customer_profile_columns'.
#}
{% macro validated_identifiers(names, setting) %}
    {{ return(adapter.dispatch('validated_identifiers', 'customer_segmentation')(names, setting)) }}
{% endmacro %}

{#- DuckDB's reserved keywords (duckdb_keywords()) and the join words most warehouses reserve -#}
{% macro default__validated_identifiers(names, setting) %}
    {%- set reserved = [
        'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'between',
        'both', 'case', 'cast', 'check', 'collate', 'column', 'constraint', 'create', 'cross',
        'current_date', 'current_timestamp', 'default', 'deferrable', 'desc', 'describe',
        'distinct', 'do', 'else', 'end', 'except', 'exists', 'false', 'fetch', 'for', 'foreign',
        'from', 'full', 'grant', 'group', 'having', 'in', 'initially', 'inner', 'intersect', 'into',
        'is', 'join', 'lambda', 'lateral', 'leading', 'left', 'like', 'limit', 'natural', 'not',
        'null', 'offset', 'on', 'only', 'or', 'order', 'outer', 'over', 'pivot', 'pivot_longer',
        'pivot_wider', 'placing', 'primary', 'qualify', 'references', 'returning', 'right',
        'select', 'show', 'some', 'summarize', 'symmetric', 'table', 'then', 'to', 'trailing',
        'true', 'union', 'unique', 'unpivot', 'using', 'values', 'variadic', 'when', 'where',
        'window', 'with',
    ] -%}
    {%- if names is string or names is mapping or names is not iterable -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(names)
            ~ ": expected a list of column names, e.g. [annual_income, household_size], or []."
        ) }}
    {%- endif -%}
    {%- for name in names -%}
        {%- if name is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', name) -%}
            {{ exceptions.raise_compiler_error(
                setting ~ " lists " ~ customer_segmentation._shown(name) ~ ": expected a column "
                ~ "name of letters, digits and underscores that does not start with a digit. "
                ~ "Name it so, and map it to your column or expression with var input_columns, "
                ~ "e.g. input_columns: {customers: {annual_income: '\"Annual Income (k$)\"'}}."
            ) }}
        {%- elif name | lower in reserved -%}
            {{ exceptions.raise_compiler_error(
                setting ~ " lists '" ~ name ~ "', an SQL keyword, which cannot name a column "
                ~ "in the models' SQL. Name it otherwise and map it to your column with var "
                ~ "input_columns, e.g. " ~ setting.split(' ')[-1] ~ ": [" ~ name ~ "_value] and "
                ~ "input_columns: {customers: {" ~ name ~ "_value: " ~ name ~ "}} (a mapped "
                ~ "column is quoted, so a column named '" ~ name ~ "' can be read)."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set lowered = names | map('lower') | list -%}
    {%- if lowered | unique | list | length != lowered | length -%}
        {{ exceptions.raise_compiler_error(setting ~ " lists a name twice: " ~ names | join(', ') ~ ".") }}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
