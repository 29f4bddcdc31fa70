{#
    Post-hook of int_reference_date: stops the build when no as_of_date could be
    derived (no valid transaction dated on or before the run's date), saying how many
    lines there are in the future and to set var as_of_date, instead of a not_null
    test that fails with "Got 1 result".
    Arguments:
        relation: int_reference_date, just built ({{ this }}).
#}
{% macro assert_as_of_date_found(relation) %}
    {{ return(adapter.dispatch('assert_as_of_date_found', 'customer_segmentation')(relation)) }}
{% endmacro %}

{% macro default__assert_as_of_date_found(relation) %}
    {%- if execute -%}
        {%- set found = run_query(
            'select as_of_date, run_date from ' ~ relation ~ ' where as_of_date is not null'
        ) -%}
        {%- if found.rows | length == 0 -%}
            {%- set lines = run_query(
                'select count(*), count(transacted_at), min(transacted_at), max(transacted_at) from '
                ~ ref('stg_input__transactions')
            ).rows[0] -%}
            {{ exceptions.raise_compiler_error(
                "No as_of_date: input 'transactions' has no valid line dated on or before the run date ("
                ~ run_started_at.strftime('%Y-%m-%d') ~ "), which the derived as_of_date must follow. "
                ~ ("Its " ~ lines[1] ~ " valid lines are dated from " ~ lines[2] ~ " to " ~ lines[3]
                    ~ ". " if lines[1] > 0 else "It has no valid line (see data_quality). ")
                ~ "Check the dates (and var input_date_formats), or set var as_of_date (YYYY-MM-DD)."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
