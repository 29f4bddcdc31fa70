{#- How strongly each model feature, as the model sees it (imputed, transformed,
    standardized), is associated with each protected attribute: the correlation
    ratio eta = sqrt(between-group / total sum of squares). A feature that stands
    in for a protected attribute shows a high eta. The feature list comes from
    the preprocessing table (model_features). -#}
{%- set attribute_sets = customer_segmentation.fairness_attribute_sets(include_intersections=false) -%}
{%- set proxy_threshold = customer_segmentation.validated_number(
    var('fairness_proxy_threshold'), 'var fairness_proxy_threshold', 0, 1
) -%}
{%- set suppress_below = customer_segmentation.validated_number(
    var('fairness_suppress_below'), 'var fairness_suppress_below', 0, whole=true
) -%}
{%- set features = customer_segmentation.model_features() -%}

with features as (

    select * from {{ ref('int_customer_features') }}

),

params as (

    select * from {{ ref('ml_segment_preprocessing') }}
    where not is_dropped

),

attributes as (

    select * from {{ ref('int_customer_attributes') }}

),

customer_groups as (

    {{ customer_segmentation.protected_groups('attributes', attribute_sets) }}

),

-- every feature as the model sees it, one column each (a wide row per customer): the
-- group statistics are then one aggregation over customers x attributes, and only
-- their small result is unpivoted (unpivoting first would aggregate customers x
-- features x attributes rows)
scaled as (

    select
        features.customer_id
        {%- for feature in features %},
        {{ customer_segmentation.scaled_feature(
            'cast(features.' ~ feature ~ ' as ' ~ customer_segmentation.type_double() ~ ')',
            'params_' ~ loop.index
        ) }} as scaled_{{ loop.index }}
        {%- endfor %}
    from features
    {%- for feature in features %}
    cross join (select * from params where feature_name = '{{ feature }}') as params_{{ loop.index }}
    {%- endfor %}

),

group_stats_wide as (

    select
        customer_groups.attribute_name,
        customer_groups.group_name,
        count(*) as group_customers
        {%- for feature in features %},
        avg(scaled.scaled_{{ loop.index }}) as group_mean_{{ loop.index }},
        var_pop(scaled.scaled_{{ loop.index }}) as group_variance_{{ loop.index }}
        {%- endfor %}
    from scaled
    inner join customer_groups
        on scaled.customer_id = customer_groups.customer_id
    group by customer_groups.attribute_name, customer_groups.group_name

),

group_stats as (

    -- one row per feature, attribute and group (a portable unpivot)
    {%- for feature in features %}
    select
        cast('{{ feature }}' as {{ dbt.type_string() }}) as feature_name,
        attribute_name,
        group_name,
        group_customers,
        group_mean_{{ loop.index }} as group_mean,
        group_variance_{{ loop.index }} as group_variance
    from group_stats_wide
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as feature_name,
        attribute_name,
        group_name,
        group_customers,
        cast(null as {{ customer_segmentation.type_double() }}) as group_mean,
        cast(null as {{ customer_segmentation.type_double() }}) as group_variance
    from group_stats_wide
    where 1 = 0
    {%- endfor %}

),

overall as (

    select
        feature_name,
        attribute_name,
        sum(group_customers) as customers,
        count(*) as group_count,
        sum(group_customers * group_mean) / sum(group_customers) as overall_mean
    from group_stats
    group by feature_name, attribute_name

),

deviations as (

    select
        group_stats.*,
        overall.customers,
        overall.group_count,
        group_stats.group_customers
        * (group_stats.group_mean - overall.overall_mean)
        * (group_stats.group_mean - overall.overall_mean) as between_squares,
        group_stats.group_customers * group_stats.group_variance as within_squares,
        abs(group_stats.group_mean - overall.overall_mean) as mean_gap
    from group_stats
    inner join overall
        on group_stats.feature_name = overall.feature_name
        and group_stats.attribute_name = overall.attribute_name

),

ranked as (

    select
        *,
        -- the published group whose mean is furthest from everyone's
        row_number() over (
            partition by feature_name, attribute_name
            order by case when group_customers >= {{ suppress_below }} then 0 else 1 end asc,
                mean_gap desc, group_name asc
        ) as gap_rank
    from deviations

),

associations as (

    select
        feature_name,
        attribute_name,
        max(customers) as customers,
        max(group_count) as group_count,
        {{ customer_segmentation.safe_divide(
            'sum(between_squares)', 'sum(between_squares) + sum(within_squares)'
        ) }} as eta_squared,
        max(case when gap_rank = 1 and group_customers >= {{ suppress_below }} then group_name end)
            as most_distinct_group_name
    from ranked
    group by feature_name, attribute_name

),

final as (

    select
        feature_name,
        attribute_name,
        cast(customers as {{ dbt.type_bigint() }}) as customers,
        cast(group_count as {{ dbt.type_bigint() }}) as group_count,
        eta_squared,
        sqrt(eta_squared) as correlation_ratio,
        most_distinct_group_name,
        coalesce(sqrt(eta_squared) > {{ proxy_threshold }}, false) as is_proxy_flagged
    from associations

)

select * from final
