-- Every segment customers are scored into has one profile and one recommendation, the
-- profiles' customer shares sum to 1 and their sizes to the number of customers.
with customer_segments as (

    select * from {{ ref('customer_segments') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

recommendations as (

    select * from {{ ref('segment_recommendations') }}

),

scored_segments as (

    select
        segment_id,
        count(*) as customers
    from customer_segments
    group by segment_id

),

problems as (

    select
        scored_segments.segment_id,
        'segment without a profile, or a profile of another size' as problem
    from scored_segments
    left join profiles
        on scored_segments.segment_id = profiles.segment_id
    where profiles.customers is null
        or profiles.customers != scored_segments.customers

    union all

    select
        scored_segments.segment_id,
        'segment without a recommendation' as problem
    from scored_segments
    left join recommendations
        on scored_segments.segment_id = recommendations.segment_id
    where recommendations.segment_id is null

    union all

    select
        null as segment_id,
        'customer shares do not sum to 1' as problem
    from profiles
    having abs(sum(customer_share) - 1) > 1e-9

)

select * from problems
