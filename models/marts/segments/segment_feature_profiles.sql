with feature_profiles as (

    select * from {{ ref('int_segment_feature_profiles') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

final as (

    select
        feature_profiles.segment_id,
        names.segment_name,
        feature_profiles.feature_name,
        feature_profiles.feature_position,
        feature_profiles.is_model_feature,
        feature_profiles.customers,
        feature_profiles.customers_with_value,
        feature_profiles.imputed_share,
        feature_profiles.mean_value,
        feature_profiles.median_value,
        feature_profiles.population_mean,
        feature_profiles.population_median,
        feature_profiles.population_std_dev,
        feature_profiles.z_score,
        feature_profiles.distinction_rank
    from feature_profiles
    inner join names
        on feature_profiles.segment_id = names.segment_id

)

select * from final
