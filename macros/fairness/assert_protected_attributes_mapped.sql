{#
    Stops the build when a protected attribute of var protected_attributes has no
    column in the customers input: otherwise every customer would silently fall in
    one 'unknown' group and the fairness marts would audit nothing. age_band needs
    birth_date or age; every other attribute needs a column of its own name (or a
    mapping in var input_columns).
    Arguments:
        columns: the resolved customers columns, from input_columns('customers').
#}
{% macro assert_protected_attributes_mapped(columns) %}
    {{ return(adapter.dispatch('assert_protected_attributes_mapped', 'customer_segmentation')(columns)) }}
{% endmacro %}

{% macro default__assert_protected_attributes_mapped(columns) %}
    {%- if execute -%}
        {%- set sources = {'age_band': ['birth_date', 'age']} -%}
        {%- for attribute in var('protected_attributes') -%}
            {%- set needed = sources.get(attribute, [attribute]) -%}
            {%- set found = [] -%}
            {%- for column in needed if columns.get(column) is not none -%}
                {%- do found.append(column) -%}
            {%- endfor -%}
            {%- if found | length == 0 -%}
                {%- set relation = customer_segmentation.input_relation('customers') -%}
                {%- set present = customer_segmentation._relation_column_names(relation) -%}
                {%- set mapping = var('input_columns', {}).get('customers') or {} -%}
                {%- set nulled = [] -%}
                {%- for column in needed if column in mapping -%}
                    {%- do nulled.append(column) -%}
                {%- endfor -%}
                {{ exceptions.raise_compiler_error(
                    "Protected attribute '" ~ attribute ~ "' (var protected_attributes) has no column in "
                    ~ "input 'customers' (" ~ relation ~ "): it needs " ~ needed | join(' or ')
                    ~ ((", which var input_columns maps to null (absent)") if nulled else "")
                    ~ ". Columns found: " ~ present.values() | list | join(', ') ~ ". Map one in "
                    ~ "dbt_project.yml (vars: input_columns: customers: " ~ needed[0]
                    ~ ": <your column>), or remove '" ~ attribute ~ "' from var protected_attributes "
                    ~ "(set it to [] when the data has none)."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
