{%- set columns = customer_segmentation.input_columns('customers') -%}
{%- set contract = customer_segmentation.input_contract('customers') -%}
{{- customer_segmentation.assert_protected_attributes_mapped(columns) -}}

with counted as (

    {{ customer_segmentation.input_rows_counted('customers') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        nullif(trim(cast({{ columns.gender or 'null' }} as {{ dbt.type_string() }})), '') as gender,
        {{ customer_segmentation.try_cast(columns.birth_date or 'null', 'date') }} as birth_date,
        {{ customer_segmentation.try_cast(columns.age or 'null', dbt.type_int()) }} as age_years_given,
        nullif(
            trim(cast({{ columns.marital_status or 'null' }} as {{ dbt.type_string() }})), ''
        ) as marital_status,
        {{ customer_segmentation.try_cast(columns.has_marketing_consent or 'null', dbt.type_boolean()) }}
            as has_marketing_consent_given,
        {%- for column in var('customer_profile_columns') %}
        {{ customer_segmentation.try_cast(columns[column] or 'null', customer_segmentation.type_double()) }} as {{ column }},
        {%- endfor %}
        {%- for column in contract.extra_protected %}
        cast({{ columns[column] or 'null' }} as {{ dbt.type_string() }}) as {{ column }},
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
