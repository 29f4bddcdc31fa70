{#- What the segment history snapshot records: each customer's segment and the model
    version that assigned it (the segment and name customer_segments publishes, read
    from the same scoring, so lineage never runs back up from a mart). -#}

with scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

model_version as (

    select * from {{ ref('int_segment_model_version') }}

),

final as (

    select
        scores.customer_id,
        scores.segment_id,
        names.segment_name,
        model_version.model_version
    from scores
    inner join names
        on scores.segment_id = names.segment_id
    cross join model_version

)

select * from final
