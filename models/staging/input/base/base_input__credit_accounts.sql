{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{%- set columns = customer_segmentation.input_columns('credit_accounts') -%}
{%- set contract = customer_segmentation.input_contract('credit_accounts') -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('credit_accounts') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        {%- for column in contract.required + contract.optional if column != 'customer_id' %}
        {{ customer_segmentation.try_cast(columns[column] or 'null', customer_segmentation.type_double()) }} as {{ column }},
        {%- endfor %}
        row_copies
    from counted

),

flagged as (

    select
        *,
        case
            when customer_id is null then 'missing_customer_id'
        end as exclusion_reason
    from typed

)

select * from flagged
