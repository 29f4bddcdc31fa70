{#- Per segment and feature: mean and median in original units against the whole
    population, and the z-score of the segment mean. Every column of
    int_customer_features is profiled, whether or not the model uses it. -#}
{%- set features = customer_segmentation.feature_columns() -%}

with features as (

    select * from {{ ref('int_customer_features') }}

),

scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

params as (

    select * from {{ ref('ml_segment_preprocessing') }}

),

segmented as (

    select
        features.*,
        scores.segment_id
    from features
    inner join scores
        on features.customer_id = scores.customer_id

),

feature_values as (

    -- one row per customer and feature (a portable unpivot)
    {%- for feature in features %}
    select
        segment_id,
        '{{ feature }}' as feature_name,
        {{ loop.index }} as feature_position,
        cast({{ feature }} as {{ customer_segmentation.type_double() }}) as feature_value
    from segmented
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

population as (

    select
        feature_name,
        avg(feature_value) as population_mean,
        {{ customer_segmentation.percentile('feature_value', 0.5) }} as population_median,
        stddev_pop(feature_value) as population_std_dev,
        min(feature_value) as population_min,
        max(feature_value) as population_max
    from feature_values
    group by feature_name

),

segment_stats as (

    select
        segment_id,
        feature_name,
        feature_position,
        count(*) as customers,
        count(feature_value) as customers_with_value,
        avg(feature_value) as mean_value,
        {{ customer_segmentation.percentile('feature_value', 0.5) }} as median_value
    from feature_values
    group by segment_id, feature_name, feature_position

),

scored as (

    select
        segment_stats.segment_id,
        segment_stats.feature_name,
        segment_stats.feature_position,
        coalesce(not params.is_dropped, false) as is_model_feature,
        segment_stats.customers,
        segment_stats.customers_with_value,
        segment_stats.mean_value,
        segment_stats.median_value,
        population.population_mean,
        population.population_median,
        population.population_std_dev,
        -- a constant feature has no z-score (its float std dev may not be exactly 0)
        case
            when population.population_max > population.population_min
                then (segment_stats.mean_value - population.population_mean) / population.population_std_dev
        end as z_score
    from segment_stats
    inner join population
        on segment_stats.feature_name = population.feature_name
    left join params
        on segment_stats.feature_name = params.feature_name

),

final as (

    select
        *,
        case
            when z_score is not null
                then row_number() over (
                    partition by segment_id
                    order by case when z_score is null then 1 else 0 end, abs(z_score) desc, feature_position
                )
        end as distinction_rank
    from scored

)

select * from final
