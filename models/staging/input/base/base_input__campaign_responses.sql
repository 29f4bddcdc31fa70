{{ config(enabled=customer_segmentation.input_is_enabled('campaign_responses')) }}
{%- set columns = customer_segmentation.input_columns('campaign_responses') -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('campaign_responses') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        nullif(trim(cast({{ columns.campaign_id }} as {{ dbt.type_string() }})), '') as campaign_id,
        {{ customer_segmentation.try_cast(columns.contacted_at, 'date') }} as contacted_date,
        {{ customer_segmentation.try_cast(columns.responded, dbt.type_boolean()) }} as has_responded,
        row_copies
    from counted

),

flagged as (

    select
        *,
        case
            when customer_id is null then 'missing_customer_id'
            when campaign_id is null then 'missing_campaign_id'
            when contacted_date is null then 'invalid_contacted_at'
            when has_responded is null then 'invalid_responded'
        end as exclusion_reason
    from typed

)

select * from flagged
