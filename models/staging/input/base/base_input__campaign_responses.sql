{{ config(
    enabled=customer_segmentation.input_is_enabled('campaign_responses'),
    post_hook="{{ customer_segmentation.assert_input_readable(this, 'campaign_responses') }}",
) }}
{%- set columns = customer_segmentation.input_columns('campaign_responses') -%}
{%- set typed_columns = customer_segmentation.input_typed_columns('campaign_responses', columns) -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('campaign_responses') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        nullif(trim(cast({{ columns.campaign_id }} as {{ dbt.type_string() }})), '') as campaign_id,
        {#- each typed column as given (kept to tell unreadable from missing) and typed -#}
        {%- for typed in typed_columns %}
        {{ typed.expression }} as {{ typed.column }}__given,
        {{ customer_segmentation.input_typed_value(typed.expression, typed.kind, typed.format) }} as {{ typed['as'] }},
        {%- endfor %}
        row_copies
    from counted

),

checked as (

    select
        customer_id,
        campaign_id,
        {%- for typed in typed_columns %}
        {{ typed['as'] }},
        {{ customer_segmentation.unreadable_value(typed['as'], typed.column ~ '__given') }}
            as {{ typed.column }}_unreadable,
        {%- endfor %}
        row_copies
    from typed

),

flagged as (

    select
        *,
        case
            when customer_id is null then 'missing_customer_id'
            when campaign_id is null then 'missing_campaign_id'
            when contacted_date is null and contacted_at_unreadable is null then 'missing_contacted_at'
            when contacted_date is null then 'invalid_contacted_at'
            when has_responded is null and responded_unreadable is null then 'missing_responded'
            when has_responded is null then 'invalid_responded'
        end as exclusion_reason
    from checked

)

select * from flagged
