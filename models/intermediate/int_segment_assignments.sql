{#- What the segment history snapshot records: each customer's segment and the model
    version that assigned it. -#}

with segments as (

    select * from {{ ref('customer_segments') }}

),

model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

final as (

    select
        segments.customer_id,
        segments.segment_id,
        segments.segment_name,
        model_version.model_version
    from segments
    cross join model_version

)

select * from final
