{#- How strongly each model feature is associated with each protected attribute, for
    both models: the segmentation model's features (model_features) as that model sees
    them (imputed, transformed, standardized), and the propensity model's customer
    features (propensity_feature_names) as given (a customer without a value is left
    out of that feature's figure). A numeric feature: the correlation ratio eta =
    sqrt(between-group / total sum of squares). A categorical feature (text): Cramér's V
    between its levels and the attribute's groups, sqrt(chi-square / (n * (min(levels,
    groups) - 1))), the association of two categorical variables on the same 0-1 scale,
    one figure per feature (eta over its one-hot indicators would give one per level).
    feature_roles says which models use the feature. A feature that stands in for a
    protected attribute shows a high value. -#}
{%- set attribute_sets = customer_segmentation.fairness_attribute_sets(include_intersections=false) -%}
{%- set proxy_threshold = customer_segmentation.validated_number(
    var('fairness_proxy_threshold'), 'var fairness_proxy_threshold', 0, 1
) -%}
{%- set suppress_below = customer_segmentation.validated_number(
    var('fairness_suppress_below'), 'var fairness_suppress_below', 0, whole=true
) -%}
{%- set segment_features = customer_segmentation.model_features() -%}
{%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
{#- the propensity model's features, when it is built (int_propensity_features enabled) -#}
{%- set propensity_features = [] -%}
{%- if execute and graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
    | selectattr('name', 'equalto', 'int_propensity_features') | list | length > 0 -%}
    {%- set propensity_features = customer_segmentation.propensity_feature_names() -%}
{%- endif -%}
{%- set features = segment_features + (propensity_features | reject('in', segment_features)
    | reject('in', categorical) | list) -%}
{%- set categorical_features = propensity_features | select('in', categorical) | list -%}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = customer_segmentation.type_double() %}
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

categories as (

    select * from {{ ref('int_customer_categories') }}

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
        {%- if feature in segment_features %}
        {{ customer_segmentation.scaled_feature(
            'cast(features.' ~ feature ~ ' as ' ~ double_type ~ ')',
            'params_' ~ loop.index
        ) }} as scaled_{{ loop.index }}
        {%- else %}
        cast(features.{{ feature }} as {{ double_type }}) as scaled_{{ loop.index }}
        {%- endif %}
        {%- endfor %}
    from features
    {%- for feature in features if feature in segment_features %}
    {#- the segmentation features come first in features, so the indexes agree #}
    cross join (
        select * from params
        where feature_name = '{{ feature }}'
    ) as params_{{ loop.index }}
    {%- endfor %}

),

group_stats_wide as (

    select
        customer_groups.attribute_name,
        customer_groups.group_name,
        count(*) as group_customers
        {%- for feature in features %},
        count(scaled.scaled_{{ loop.index }}) as group_customers_{{ loop.index }},
        avg(scaled.scaled_{{ loop.index }}) as group_mean_{{ loop.index }},
        var_pop(scaled.scaled_{{ loop.index }}) as group_variance_{{ loop.index }}
        {%- endfor %}
    from scaled
    inner join customer_groups
        on scaled.customer_id = customer_groups.customer_id
    group by customer_groups.attribute_name, customer_groups.group_name

),

group_stats_unpivoted as (

    -- one row per feature, attribute and group (read once: unpivot_wide)
    {{ customer_segmentation.unpivot_wide('group_stats_wide', features, [
        ['feature_name', "cast('{item}' as " ~ string_type ~ ")"],
        ['attribute_name', 'attribute_name'],
        ['group_name', 'group_name'],
        ['group_customers', 'group_customers_{index}'],
        ['group_mean', 'group_mean_{index}'],
        ['group_variance', 'group_variance_{index}'],
    ]) }}

),

group_stats as (

    -- the groups with a value of the feature
    select * from group_stats_unpivoted
    where group_customers > 0

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

categorical_values as (

    -- the categorical features, one row per customer and feature (the level after folding)
    {%- for feature in categorical_features %}
    select
        customer_id,
        cast('{{ feature }}' as {{ string_type }}) as feature_name,
        cast({{ feature }} as {{ string_type }}) as level
    from categories
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as customer_id,
        cast(null as {{ string_type }}) as feature_name,
        cast(null as {{ string_type }}) as level
    from categories
    where 1 = 0

),

contingency as (

    select
        categorical_values.feature_name,
        customer_groups.attribute_name,
        customer_groups.group_name,
        categorical_values.level,
        count(*) as cell_customers
    from categorical_values
    inner join customer_groups
        on categorical_values.customer_id = customer_groups.customer_id
    group by
        categorical_values.feature_name, customer_groups.attribute_name,
        customer_groups.group_name, categorical_values.level

),

margins as (

    select
        *,
        sum(cell_customers) over (partition by feature_name, attribute_name, group_name) as group_customers,
        sum(cell_customers) over (partition by feature_name, attribute_name, level) as level_customers,
        sum(cell_customers) over (partition by feature_name, attribute_name) as customers
    from contingency

),

group_margins as (

    select distinct
        feature_name,
        attribute_name,
        group_name,
        group_customers,
        customers
    from margins

),

level_margins as (

    select distinct
        feature_name,
        attribute_name,
        level,
        level_customers
    from margins

),

-- every group x level cell, the empty ones too (their expected count adds to chi-square)
cells as (

    select
        group_margins.feature_name,
        group_margins.attribute_name,
        group_margins.group_name,
        level_margins.level,
        group_margins.group_customers,
        level_margins.level_customers,
        group_margins.customers,
        coalesce(margins.cell_customers, 0) as cell_customers,
        cast(group_margins.group_customers as {{ double_type }}) * level_margins.level_customers
            / group_margins.customers as expected_customers
    from group_margins
    inner join level_margins
        on group_margins.feature_name = level_margins.feature_name
        and group_margins.attribute_name = level_margins.attribute_name
    left join margins
        on group_margins.feature_name = margins.feature_name
        and group_margins.attribute_name = margins.attribute_name
        and group_margins.group_name = margins.group_name
        and level_margins.level = margins.level

),

group_chi_squares as (

    select
        feature_name,
        attribute_name,
        group_name,
        max(group_customers) as group_customers,
        max(customers) as customers,
        sum((cell_customers - expected_customers) * (cell_customers - expected_customers) / expected_customers)
            as group_chi_square
    from cells
    group by feature_name, attribute_name, group_name

),

level_counts as (

    select
        feature_name,
        attribute_name,
        count(distinct level) as level_count
    from cells
    group by feature_name, attribute_name

),

ranked_groups as (

    select
        *,
        -- the published group whose level mix is furthest from everyone's
        row_number() over (
            partition by feature_name, attribute_name
            order by case when group_customers >= {{ suppress_below }} then 0 else 1 end asc,
                group_chi_square desc, group_name asc
        ) as gap_rank
    from group_chi_squares

),

categorical_associations as (

    select
        ranked_groups.feature_name,
        ranked_groups.attribute_name,
        max(ranked_groups.customers) as customers,
        count(*) as group_count,
        sqrt({{ customer_segmentation.safe_divide(
            'sum(ranked_groups.group_chi_square)',
            'max(ranked_groups.customers) * (least(count(*), max(level_counts.level_count)) - 1)'
        ) }}) as cramers_v,
        max(case when ranked_groups.gap_rank = 1 and ranked_groups.group_customers >= {{ suppress_below }}
            then ranked_groups.group_name end) as most_distinct_group_name
    from ranked_groups
    inner join level_counts
        on ranked_groups.feature_name = level_counts.feature_name
        and ranked_groups.attribute_name = level_counts.attribute_name
    group by ranked_groups.feature_name, ranked_groups.attribute_name

),

measured as (

    select
        feature_name,
        attribute_name,
        'correlation_ratio' as association_measure,
        customers,
        group_count,
        eta_squared,
        sqrt(eta_squared) as correlation_ratio,
        cast(null as {{ double_type }}) as cramers_v,
        sqrt(eta_squared) as association,
        most_distinct_group_name
    from associations

    union all

    select
        feature_name,
        attribute_name,
        'cramers_v' as association_measure,
        customers,
        group_count,
        cast(null as {{ double_type }}) as eta_squared,
        cast(null as {{ double_type }}) as correlation_ratio,
        cramers_v,
        cramers_v as association,
        most_distinct_group_name
    from categorical_associations

),

roles as (

    select
        *,
        case
            {%- for feature in segment_features if feature in propensity_features %}
            when feature_name = '{{ feature }}' then 'segmentation, propensity'
            {%- endfor %}
            {%- for feature in segment_features if feature not in propensity_features %}
            when feature_name = '{{ feature }}' then 'segmentation'
            {%- endfor %}
            else 'propensity'
        end as feature_roles
    from measured

),

final as (

    select
        cast(feature_name as {{ string_type }}) as feature_name,
        cast(attribute_name as {{ string_type }}) as attribute_name,
        cast(feature_roles as {{ string_type }}) as feature_roles,
        feature_roles like '%segmentation%' as is_segmentation_feature,
        feature_roles like '%propensity%' as is_propensity_feature,
        cast(association_measure as {{ string_type }}) as association_measure,
        cast(customers as {{ dbt.type_bigint() }}) as customers,
        cast(group_count as {{ dbt.type_bigint() }}) as group_count,
        eta_squared,
        correlation_ratio,
        cramers_v,
        association,
        most_distinct_group_name,
        coalesce(association > {{ proxy_threshold }}, false) as is_proxy_flagged
    from roles

)

select * from final
