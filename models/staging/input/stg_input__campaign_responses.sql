{{ config(enabled=customer_segmentation.input_is_enabled('campaign_responses')) }}
{{ customer_segmentation.assert_unique_key(
    ref('base_input__campaign_responses'), ['customer_id', 'campaign_id'], 'campaign_responses'
) }}

with campaign_responses as (

    select * from {{ ref('base_input__campaign_responses') }}
    where exclusion_reason is null

),

cleaned as (

    select
        customer_id,
        campaign_id,
        contacted_date,
        has_responded
    from campaign_responses

)

select * from cleaned
