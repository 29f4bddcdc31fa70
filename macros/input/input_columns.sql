{#
    Resolves every contract column of an input to a SQL expression over the user's
    relation: the mapping in var('input_columns')[input] when given (a column name or
    an expression), else the column of the same name, else null for an optional column.
    A mapping to null (YAML null or ~, or the text 'null') says the column is absent,
    even when a column of that name exists. Fails with the input, the column and what
    to set when a required column is missing or mapped to null, or a mapped column does
    not exist. transactions.amount falls back to quantity * unit_price when both exist.
#}
{% macro input_columns(input_name) %}
    {{ return(adapter.dispatch('input_columns', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_columns(input_name) %}
    {%- set contract = customer_segmentation.input_contract(input_name) -%}
    {%- set mapping = var('input_columns', {}).get(input_name) or {} -%}
    {%- set relation = customer_segmentation.input_relation(input_name) -%}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set present = customer_segmentation._relation_column_names(relation) -%}
    {%- set resolved = {} -%}
    {%- set mapped_to_null = [] -%}
    {%- for column in contract.required + contract.optional -%}
        {%- if column in mapping -%}
            {%- set expression = mapping[column] -%}
            {#- the text 'null' too: as SQL it is the same absent value, never a column name -#}
            {%- if expression is none or (expression is string and expression | trim | lower == 'null') -%}
                {%- do resolved.update({column: none}) -%}
                {%- do mapped_to_null.append(column) -%}
            {%- elif modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', expression | string)
                and (expression | lower) not in present -%}
                {{ exceptions.raise_compiler_error(
                    "Input '" ~ input_name ~ "' (" ~ relation ~ "): var input_columns maps '"
                    ~ column ~ "' to '" ~ expression ~ "', which is not a column of it. "
                    ~ "Columns found: " ~ present.values() | list | join(', ') ~ "."
                ) }}
            {%- elif expression | lower in present -%}
                {%- do resolved.update({column: adapter.quote(present[expression | lower])}) -%}
            {%- else -%}
                {%- do resolved.update({column: '(' ~ expression ~ ')'}) -%}
            {%- endif -%}
        {%- elif column in present -%}
            {%- do resolved.update({column: adapter.quote(present[column])}) -%}
        {%- else -%}
            {%- do resolved.update({column: none}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if input_name == 'transactions' and resolved.amount is none
        and resolved.quantity is not none and resolved.unit_price is not none -%}
        {%- set float_type = customer_segmentation.type_double() -%}
        {%- do resolved.update({'amount': customer_segmentation.try_cast(resolved.quantity, float_type)
            ~ ' * ' ~ customer_segmentation.try_cast(resolved.unit_price, float_type)}) -%}
    {%- endif -%}
    {%- for column in contract.required if resolved[column] is none and column in mapped_to_null -%}
        {{ exceptions.raise_compiler_error(
            "Input '" ~ input_name ~ "' (" ~ relation ~ "): var input_columns maps '" ~ column
            ~ "' to null (absent), but the contract requires it. Map it to your column or a SQL "
            ~ "expression: vars: input_columns: " ~ input_name ~ ": " ~ column
            ~ ": <your column or a SQL expression>. Columns found: "
            ~ present.values() | list | join(', ') ~ "."
        ) }}
    {%- endfor -%}
    {%- for column in contract.required if resolved[column] is none -%}
        {{ exceptions.raise_compiler_error(
            "Input '" ~ input_name ~ "' (" ~ relation ~ ") has no column '" ~ column
            ~ "', which the contract requires. Columns found: "
            ~ present.values() | list | join(', ') ~ ". Map one in dbt_project.yml: "
            ~ "vars: input_columns: " ~ input_name ~ ": " ~ column
            ~ ": <your column or a SQL expression>."
        ) }}
    {%- endfor -%}
    {{ return(resolved) }}
{% endmacro %}

{#- Lower-cased column name -> column name as stored, read with a zero-row query so
    it works for tables, views and files read in place alike. -#}
{% macro _relation_column_names(relation) %}
    {%- set probe = run_query('select * from ' ~ relation ~ ' where 1 = 0') -%}
    {%- set names = {} -%}
    {%- for name in probe.column_names -%}
        {%- do names.update({name | lower: name}) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
