{#
    The strptime format var input_date_formats sets for a date column of an input, or
    none (the column is read as ISO 8601, YYYY-MM-DD). The var is checked as a whole:
    its inputs must be inputs of the contract, its columns date or timestamp columns of
    that input, its formats texts with at least one % code. Returns the format with
    its single quotes doubled, ready to put in an SQL literal.
    Arguments:
        input_name: an input of the contract.
        column:     a contract column of it, e.g. 'transacted_at'.
#}
{% macro input_date_format(input_name, column) %}
    {{ return(adapter.dispatch('input_date_format', 'customer_segmentation')(input_name, column)) }}
{% endmacro %}

{% macro default__input_date_format(input_name, column) %}
    {%- set configured = var('input_date_formats', {}) or {} -%}
    {%- set example = "e.g. input_date_formats: {transactions: {transacted_at: '%d/%m/%Y %H:%M'}}" -%}
    {%- if configured is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var input_date_formats is " ~ customer_segmentation._shown(configured)
            ~ ": expected a mapping of input -> column -> strptime format, " ~ example ~ "."
        ) }}
    {%- endif -%}
    {%- for name, formats in configured.items() -%}
        {%- set dated = [] -%}
        {%- if name in ['customers', 'transactions', 'credit_accounts', 'campaign_responses'] -%}
            {%- for typed in customer_segmentation.input_contract(name).typed if typed.kind in ['date', 'timestamp'] -%}
                {%- do dated.append(typed.column) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if dated | length == 0 or formats is not mapping -%}
            {{ exceptions.raise_compiler_error(
                "var input_date_formats has '" ~ name ~ "': " ~ customer_segmentation._shown(formats)
                ~ ". Expected an input with date columns (customers: birth_date; transactions: "
                ~ "transacted_at; campaign_responses: contacted_at) mapped to column -> format, "
                ~ example ~ "."
            ) }}
        {%- endif -%}
        {%- for dated_column, format in formats.items() -%}
            {%- if dated_column not in dated -%}
                {{ exceptions.raise_compiler_error(
                    "var input_date_formats sets a format for '" ~ name ~ "." ~ dated_column
                    ~ "', which is not a date column of input " ~ name ~ " (" ~ dated | join(', ') ~ ")."
                ) }}
            {%- endif -%}
            {%- if format is not string or '%' not in format -%}
                {{ exceptions.raise_compiler_error(
                    "var input_date_formats: the format of " ~ name ~ "." ~ dated_column ~ " is "
                    ~ customer_segmentation._shown(format) ~ ": expected a strptime format such as "
                    ~ "'%d/%m/%Y' or '%m/%d/%Y %H:%M:%S' (in quotes)."
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set format = (configured.get(input_name) or {}).get(column) -%}
    {{ return(none if format is none else customer_segmentation.validated_text(
        format, 'var input_date_formats', 'a strptime format'
    )) }}
{% endmacro %}
