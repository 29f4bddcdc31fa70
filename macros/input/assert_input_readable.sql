{#
    Post-hook of the base models: stops the build when, in any typed column of the
    input, the share of values present that could not be read (a failed cast or parse:
    <column>_unreadable) is above var input_unreadable_max_share. Below it the values
    are counted in data_quality and the build goes on; above it they are most likely a
    format or mapping problem (a whole date column in dd/mm/yyyy, a decimal comma), and
    imputing them would change the model silently. The message names the input, the
    column, the count, the share, examples and the setting to change.
    Counts are over the distinct rows of the base model (exact copies once).
    Arguments:
        relation:   the base model just built ({{ this }}).
        input_name: its input of the contract.
#}
{% macro assert_input_readable(relation, input_name) %}
    {{ return(adapter.dispatch('assert_input_readable', 'customer_segmentation')(relation, input_name)) }}
{% endmacro %}

{% macro default__assert_input_readable(relation, input_name) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set max_share = customer_segmentation.validated_number(
        var('input_unreadable_max_share'), 'var input_unreadable_max_share', 0, 1
    ) -%}
    {%- set built = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do built.append(column.name | lower) -%}
    {%- endfor -%}
    {%- set checked = [] -%}
    {%- for typed in customer_segmentation.input_contract(input_name).typed
        if (typed.column ~ '_unreadable') in built -%}
        {%- do checked.append(typed) -%}
    {%- endfor -%}
    {%- if checked | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set counts_sql -%}
        {%- for typed in checked %}
        select
            '{{ typed.column }}' as column_name,
            count({{ typed['as'] }}) + count({{ typed.column }}_unreadable) as present_values,
            count({{ typed.column }}_unreadable) as unreadable_values
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- endset -%}
    {%- set problems = [] -%}
    {%- for row in run_query(counts_sql).rows
        if (row[2] | int) > 0 and (row[2] | int) > max_share * (row[1] | int) -%}
        {%- set typed = (checked | selectattr('column', 'equalto', row[0]) | list)[0] -%}
        {%- set examples = run_query(
            'select ' ~ typed.column ~ '_unreadable, count(*) from ' ~ relation
            ~ ' where ' ~ typed.column ~ '_unreadable is not null group by 1 order by 2 desc, 1 limit 3'
        ).columns[0].values() -%}
        {%- do problems.append(customer_segmentation._unreadable_message(
            input_name, typed, row[2] | int, row[1] | int, examples
        )) -%}
    {%- endfor -%}
    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            problems | join(' ') ~ " More than var input_unreadable_max_share (" ~ max_share
            ~ ") of a column's values could not be read, which is most likely a format or "
            ~ "mapping problem: fix the input or its mapping (var input_columns), or, to build "
            ~ "anyway with these values counted in data_quality, raise input_unreadable_max_share."
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- Private helper: one column's part of the message, with the setting that fixes it. -#}
{% macro _unreadable_message(input_name, typed, unreadable, present, examples) %}
    {%- set shown = [] -%}
    {%- for value in examples -%}
        {%- set text = value | string -%}
        {%- do shown.append("'" ~ (text[:40] ~ '...' if text | length > 40 else text) ~ "'") -%}
    {%- endfor -%}
    {%- set kinds = {
        'number': 'a number', 'integer': 'a whole number', 'boolean': 'true or false',
        'date': 'a date', 'timestamp': 'a timestamp',
        'ordinal': 'one of its levels (' ~ (typed.levels or []) | join(', ')
            ~ '; set in var customer_profile_columns)',
    } -%}
    {%- set message = "Input '" ~ input_name ~ "', column '" ~ typed.column ~ "': " ~ unreadable
        ~ " of " ~ present ~ " values (" ~ ((100.0 * unreadable / present) | round(1)) ~ "%) could not be read as "
        ~ kinds[typed.kind] ~ ", e.g. " ~ shown | join(', ') ~ " (data_quality rule " ~ typed.rule ~ ")." -%}
    {%- if typed.kind in ['date', 'timestamp'] -%}
        {%- set format = customer_segmentation.input_date_format(input_name, typed.column) -%}
        {%- set suggested = customer_segmentation._suggested_date_format(examples[0] | string) -%}
        {%- set message = message ~ (
            " They do not match the format var input_date_formats sets for it ('" ~ format ~ "')"
            if format is not none else " They are not ISO dates (YYYY-MM-DD)"
        ) ~ ": set the format they are written in, e.g. --vars '{input_date_formats: {" ~ input_name
            ~ ": {" ~ typed.column ~ ": \"" ~ suggested ~ "\"}}}' (strptime codes: %d day, %m month, "
            ~ "%Y year, %H:%M:%S time)." -%}
    {%- endif -%}
    {{ return(message) }}
{% endmacro %}

{#- Private helper: a strptime format that reads a day-first example such as
    31/01/2025 10:00 (the common non-ISO form), else '%d/%m/%Y'. -#}
{% macro _suggested_date_format(example) %}
    {%- set match = modules.re.match('^[0-9]{1,2}([/.-])[0-9]{1,2}[/.-][0-9]{4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?', example) -%}
    {%- if not match -%}
        {{ return('%d/%m/%Y') }}
    {%- endif -%}
    {%- set separator = match.group(1) -%}
    {%- set time = '' if not match.group(2) else (' %H:%M:%S' if match.group(3) else ' %H:%M') -%}
    {{ return('%d' ~ separator ~ '%m' ~ separator ~ '%Y' ~ time) }}
{% endmacro %}
