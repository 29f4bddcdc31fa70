{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{{ customer_segmentation.assert_input_not_empty('credit_accounts') }}
{%- set columns = customer_segmentation.input_columns('credit_accounts') -%}
{%- set contract = customer_segmentation.input_contract('credit_accounts') -%}

with source as (

    select * from {{ customer_segmentation.input_relation('credit_accounts') }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by {{ customer_segmentation.input_source_columns('credit_accounts') | join(', ') }}
        ) as duplicate_rank
    from source

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        {%- for column in contract.required + contract.optional if column != 'customer_id' %}
        {{ customer_segmentation.try_cast(columns[column] or 'null', customer_segmentation.type_double()) }} as {{ column }},
        {%- endfor %}
        duplicate_rank
    from numbered

),

flagged as (

    select
        *,
        case
            when duplicate_rank > 1 then 'duplicate_row'
            when customer_id is null then 'missing_customer_id'
        end as exclusion_reason
    from typed

)

select * from flagged
