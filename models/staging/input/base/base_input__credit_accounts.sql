{{ config(
    enabled=customer_segmentation.input_is_enabled('credit_accounts'),
    post_hook="{{ customer_segmentation.assert_input_readable(this, 'credit_accounts') }}",
) }}
{%- set columns = customer_segmentation.input_columns('credit_accounts') -%}
{#- only the columns the input has or maps (required: balance, credit_limit): a feature is
    never built from a column filled with nulls (macro credit_account_features) -#}
{%- set typed_columns = customer_segmentation.input_typed_columns('credit_accounts', columns) -%}
{%- if execute -%}
    {%- set typed_columns = typed_columns | rejectattr('expression', 'none') | list -%}
{%- endif -%}
{%- for extra in customer_segmentation.credit_account_extra_columns() if execute and columns.get(extra.column) is none -%}
    {{ exceptions.raise_compiler_error(
        "var credit_account_extra_columns lists '" ~ extra.column ~ "', but the credit_accounts input ("
        ~ customer_segmentation.input_relation('credit_accounts') ~ ") has no such column. Map it to "
        ~ "yours: vars: input_columns: credit_accounts: " ~ extra.column ~ ": <your column>."
    ) }}
{%- endfor %}

with counted as (

    {{ customer_segmentation.input_rows_counted('credit_accounts') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        {#- each amount as given (kept to tell unreadable from missing) and as a number -#}
        {%- for typed in typed_columns %}
        {%- if typed.checked %}
        {{ typed.expression }} as {{ typed.column }}__given,
        {%- endif %}
        {{ customer_segmentation.input_typed_value(typed.expression or 'null', typed.kind) }} as {{ typed['as'] }},
        {%- endfor %}
        row_copies
    from counted

),

flagged as (

    select
        customer_id,
        {%- for typed in typed_columns %}
        {{ typed['as'] }},
        {%- if typed.checked %}
        {{ customer_segmentation.unreadable_value(typed['as'], typed.column ~ '__given') }}
            as {{ typed.column }}_unreadable,
        {%- endif %}
        {%- endfor %}
        row_copies,
        case
            when customer_id is null then 'missing_customer_id'
        end as exclusion_reason
    from typed

)

select * from flagged
