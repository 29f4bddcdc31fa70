{#- Per segment and feature: mean and median in original units against the whole
    population, and the z-score of the segment mean. Every column of
    int_customer_features is profiled, whether or not the model uses it. The means,
    medians and z-scores are over the values customers have, never imputed ones;
    imputed_share says how many members the model scored on an imputed value of the
    feature (int_customer_feature_families.is_clustered: the segment of its own for
    customers without a feature family is not scored, so it imputes nothing). -#}
{%- set features = customer_segmentation.feature_columns() -%}
{%- set float_type = customer_segmentation.type_double() %}

with features as (

    select * from {{ ref('int_customer_features') }}

),

scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

params as (

    select * from {{ ref('ml_segment_preprocessing') }}

),

families as (

    select * from {{ ref('int_customer_feature_families') }}

),

segmented as (

    select
        features.*,
        scores.segment_id,
        families.is_clustered
    from features
    inner join scores
        on features.customer_id = scores.customer_id
    inner join families
        on features.customer_id = families.customer_id

),

segment_stats_wide as (

    -- aggregate wide (one pass over the customers), then unpivot the k rows
    select
        segment_id,
        {%- for feature in features %}
        count({{ feature }}) as {{ feature }}__customers_with_value,
        count(case when is_clustered and {{ feature }} is null then 1 end) as {{ feature }}__customers_scored_without_value,
        avg({{ feature }}) as {{ feature }}__mean,
        {{ customer_segmentation.percentile(feature, 0.5) }} as {{ feature }}__median,
        {%- endfor %}
        count(*) as customers
    from segmented
    group by segment_id

),

population_wide as (

    select
        {%- for feature in features %}
        avg({{ feature }}) as {{ feature }}__mean,
        {{ customer_segmentation.percentile(feature, 0.5) }} as {{ feature }}__median,
        stddev_pop({{ feature }}) as {{ feature }}__std_dev,
        min({{ feature }}) as {{ feature }}__min,
        max({{ feature }}) as {{ feature }}__max,
        {%- endfor %}
        count(*) as customers
    from segmented

),

segment_stats as (

    -- the k rows of the wide aggregate, one per feature (read once: unpivot_wide)
    {{ customer_segmentation.unpivot_wide('segment_stats_wide', features, [
        ['segment_id', 'segment_id'],
        ['feature_name', "'{item}'"],
        ['feature_position', '{index}'],
        ['customers', 'customers'],
        ['customers_with_value', '{item}__customers_with_value'],
        ['customers_scored_without_value', '{item}__customers_scored_without_value'],
        ['mean_value', 'cast({item}__mean as ' ~ float_type ~ ')'],
        ['median_value', 'cast({item}__median as ' ~ float_type ~ ')'],
    ]) }}

),

population as (

    {{ customer_segmentation.unpivot_wide('population_wide', features, [
        ['feature_name', "'{item}'"],
        ['population_mean', 'cast({item}__mean as ' ~ float_type ~ ')'],
        ['population_median', 'cast({item}__median as ' ~ float_type ~ ')'],
        ['population_std_dev', 'cast({item}__std_dev as ' ~ float_type ~ ')'],
        ['population_min', 'cast({item}__min as ' ~ float_type ~ ')'],
        ['population_max', 'cast({item}__max as ' ~ float_type ~ ')'],
    ]) }}

),

scored as (

    select
        segment_stats.segment_id,
        segment_stats.feature_name,
        segment_stats.feature_position,
        coalesce(not params.is_dropped, false) as is_model_feature,
        segment_stats.customers,
        segment_stats.customers_with_value,
        -- members K-Means scored on the impute value of this model feature
        case
            when coalesce(not params.is_dropped, false)
                then cast(segment_stats.customers_scored_without_value as {{ customer_segmentation.type_double() }})
                / segment_stats.customers
            else 0
        end as imputed_share,
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
        cast(case
            when z_score is not null
                then row_number() over (
                    partition by segment_id
                    order by case when z_score is null then 1 else 0 end, abs(z_score) desc, feature_position
                )
        end as {{ dbt.type_bigint() }}) as distinction_rank
    from scored

)

select * from final
