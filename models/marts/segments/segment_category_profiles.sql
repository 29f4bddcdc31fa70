with category_profiles as (

    select * from {{ ref('int_segment_category_profiles') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

final as (

    select
        category_profiles.segment_id,
        names.segment_name,
        category_profiles.column_name,
        category_profiles.column_position,
        category_profiles.level,
        category_profiles.customers,
        category_profiles.level_customers,
        category_profiles.segment_share,
        category_profiles.population_customers,
        category_profiles.population_share,
        category_profiles.share_difference,
        category_profiles.share_ratio,
        category_profiles.representation_rank
    from category_profiles
    inner join names
        on category_profiles.segment_id = names.segment_id

)

select * from final
