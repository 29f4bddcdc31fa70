{#
    The rows of one part of the registered propensity model (ml_propensity_model:
    constant, column, level or tree_node), read at run time (an empty list while dbt
    parses), as a list of mappings from column name to value. Every number is given as
    its shortest round-trip text, so double_literal writes it back exactly.
    Arguments:
        part:    the part to read.
        columns: the columns to read.
        numbers: which of them are floating-point numbers.
#}
{% macro propensity_model_rows(part, columns, numbers=[]) %}
    {{ return(adapter.dispatch('propensity_model_rows', 'customer_segmentation')(part, columns, numbers)) }}
{% endmacro %}

{% macro default__propensity_model_rows(part, columns, numbers=[]) %}
    {%- set rows = [] -%}
    {#- outside the execute guard, so dbt records the dependency while it parses -#}
    {%- set model = ref('ml_propensity_model') -%}
    {%- if execute -%}
        {%- set selected = [] -%}
        {%- for column in columns -%}
            {%- if column in numbers -%}
                {%- do selected.append('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
            {%- else -%}
                {%- do selected.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set order = 'tree_index, node_id' if part == 'tree_node' else 'feature_position, feature_name, level_code' -%}
        {%- set table = run_query(
            'select ' ~ selected | join(', ') ~ ' from ' ~ model
            ~ " where part = '" ~ part ~ "' order by " ~ order
        ) -%}
        {%- for row in table.rows -%}
            {%- set item = {} -%}
            {%- for column in columns -%}
                {%- do item.update({column: row[loop.index0]}) -%}
            {%- endfor -%}
            {%- do rows.append(item) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(rows) }}
{% endmacro %}
