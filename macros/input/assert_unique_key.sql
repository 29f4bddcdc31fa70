{#
    Stops the build when kept rows of an input share a key but differ in other
    columns: which row is right is the user's call, so the message lists the keys.
    (Exact duplicates never get here: staging removes and counts them.)
    Arguments:
        relation:   the flagged base model, e.g. ref('base_input__customers').
        key_columns: list of key columns.
        input_name: the input, for the message.
#}
{% macro assert_unique_key(relation, key_columns, input_name) %}
    {{ return(adapter.dispatch('assert_unique_key', 'customer_segmentation')(relation, key_columns, input_name)) }}
{% endmacro %}

{% macro default__assert_unique_key(relation, key_columns, input_name) %}
    {%- if execute -%}
        {%- set keys = key_columns | join(', ') -%}
        {%- set query -%}
            select {{ keys }}, count(*) as row_count
            from {{ relation }}
            where exclusion_reason is null
            group by {{ keys }}
            having count(*) > 1
            order by {{ keys }}
        {%- endset -%}
        {%- set conflicts = run_query(query) -%}
        {%- if conflicts.rows | length > 0 -%}
            {%- set examples = [] -%}
            {%- for row in conflicts.rows[:10] -%}
                {%- do examples.append(row[:key_columns | length] | join('/')) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                "Input '" ~ input_name ~ "': " ~ conflicts.rows | length ~ " value(s) of (" ~ keys
                ~ ") appear on several rows that differ in other columns, e.g. "
                ~ examples | join(', ') ~ ". Keep one row per key in the input (exact "
                ~ "duplicates are removed automatically)."
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
