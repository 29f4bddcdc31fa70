{{ config(
    enabled=customer_segmentation.input_is_enabled('campaign_responses'),
    post_hook="{{ customer_segmentation.assert_input_readable(this, 'campaign_responses') }}",
) }}
{%- set columns = customer_segmentation.input_columns('campaign_responses') -%}
{%- set typed_columns = customer_segmentation.input_typed_columns('campaign_responses', columns) -%}
{#- the unreadable text of a column, or null when its input is typed (it cannot fail) -#}
{%- set unreadable = {} -%}
{%- for typed in typed_columns -%}
    {%- do unreadable.update({typed.column: typed.column ~ '_unreadable' if typed.checked else 'null'}) -%}
{%- endfor -%}

with counted as (

    {{ customer_segmentation.input_rows_counted('campaign_responses') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        nullif(trim(cast({{ columns.campaign_id }} as {{ dbt.type_string() }})), '') as campaign_id,
        {#- each typed column as given (kept to tell unreadable from missing) and typed -#}
        {%- for typed in typed_columns %}
        {%- if typed.checked %}
        {{ typed.expression }} as {{ typed.column }}__given,
        {%- endif %}
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
            when campaign_id is null then 'missing_campaign_id'
            when contacted_date is null and {{ unreadable.contacted_at }} is null then 'missing_contacted_at'
            when contacted_date is null then 'invalid_contacted_at'
            when has_responded is null and {{ unreadable.responded }} is null then 'missing_responded'
            when has_responded is null then 'invalid_responded'
        end as exclusion_reason
    from checked

)

select * from flagged
