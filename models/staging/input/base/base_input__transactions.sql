{{ config(
    enabled=customer_segmentation.input_is_enabled('transactions'),
    post_hook="{{ customer_segmentation.assert_input_readable(this, 'transactions') }}",
) }}
{%- set columns = customer_segmentation.input_columns('transactions') -%}
{%- set typed_columns = customer_segmentation.input_typed_columns('transactions', columns) -%}
{#- the unreadable text of a column, or null when its input is typed (it cannot fail) -#}
{%- set unreadable = {} -%}
{%- for typed in typed_columns -%}
    {%- do unreadable.update({typed.column: typed.column ~ '_unreadable' if typed.checked else 'null'}) -%}
{%- endfor -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('transactions') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        cast({{ columns.order_id or 'null' }} as {{ dbt.type_string() }}) as order_id,
        {#- each typed column as given (kept to tell unreadable from missing) and typed -#}
        {%- for typed in typed_columns %}
        {%- if typed.checked %}
        {{ typed.expression }} as {{ typed.column }}__given,
        {%- endif %}
        {{ customer_segmentation.input_typed_value(typed.expression or 'null', typed.kind, typed.format) }}
            as {{ typed['as'] }},
        {%- endfor %}
        row_copies
    from counted

),

checked as (

    select
        customer_id,
        order_id,
        {%- for typed in typed_columns %}
        {{ typed['as'] }},
        {%- if typed.checked %}
        {{ customer_segmentation.unreadable_value(typed['as'], typed.column ~ '__given') }}
            as {{ typed.column }}_unreadable,
        {%- endif %}
        {%- endfor %}
        row_copies
    from typed

),

flagged as (

    select
        *,
        case
            when customer_id is null then 'missing_customer_id'
            when transacted_at is null and {{ unreadable.transacted_at }} is null then 'missing_transacted_at'
            when transacted_at is null then 'invalid_transacted_at'
            -- the amount as text exists only where it did not convert (unreadable_value),
            -- so a numeric input never pays for a cast of every line to text
            when amount is null and {{ unreadable.amount }} is null then 'missing_amount'
            when amount is null then 'non_numeric_amount'
            when amount = 0 then 'zero_amount'
        end as exclusion_reason
    from checked

)

select * from flagged
