{#- A fixed set of columns whatever features are enabled (so the mart can carry an
    enforced contract): the per-feature means, medians and z-scores are rows of
    segment_feature_profiles, not columns here. share_without_credit_account shows how
    many members lack the credit family as a whole (docs/segmentation.md, "Customers
    missing a feature family"). -#}
with reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

families as (

    select * from {{ ref('int_customer_feature_families') }}

),

feature_profiles as (

    select * from {{ ref('int_segment_feature_profiles') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

category_profiles as (

    select * from {{ ref('int_segment_category_profiles') }}

),

top_categories as (

    -- e.g. 'contract: Month-to-month 88% (population 55%)', over-represented levels only
    select
        segment_id,
        {{ dbt.listagg(
            dbt.concat([
                'column_name', "': '", 'level', "' '",
                dbt.safe_cast('round(100 * segment_share)', dbt.type_int()), "'% (population '",
                dbt.safe_cast('round(100 * population_share)', dbt.type_int()), "'%)'",
            ]),
            "', '",
            'order by representation_rank',
        ) }} as top_categories
    from category_profiles
    where representation_rank <= 3 and share_difference > 0
    group by segment_id

),

sizes as (

    select
        scores.segment_id,
        count(*) as customers,
        avg(scores.confidence) as mean_confidence,
        -- null when the credit_accounts input is off (has_credit_account null)
        avg(case when families.has_credit_account then 0.0 when not families.has_credit_account then 1.0 end)
            as share_without_credit_account,
        bool_and(families.is_clustered) as is_clustered
    from scores
    inner join families
        on scores.customer_id = families.customer_id
    group by scores.segment_id

),

revenue as (

    -- net monetary_total of the segment (mean x customers with a value); no rows
    -- when there are no transactions, so revenue_share is null
    select
        segment_id,
        mean_value * customers_with_value as revenue_total
    from feature_profiles
    where feature_name = 'monetary_total'

),

top_feature_labels as (

    -- e.g. 'credit_utilization +1.08'
    select
        segment_id
        {%- for rank in [1, 2, 3] %},
        {{ dbt.concat([
            'top_feature_' ~ rank,
            "case when top_feature_" ~ rank ~ "_z_score >= 0 then ' +' else ' ' end",
            dbt.safe_cast('round(top_feature_' ~ rank ~ '_z_score, 2)', dbt.type_string()),
        ]) }} as label_{{ rank }}
        {%- endfor %}
    from names

),

final as (

    select
        sizes.segment_id,
        names.segment_name,
        names.archetype,
        names.name_source,
        sizes.customers,
        cast(sizes.customers as {{ customer_segmentation.type_double() }})
            / sum(sizes.customers) over () as customer_share,
        revenue.revenue_total,
        revenue.revenue_total / nullif(sum(revenue.revenue_total) over (), 0) as revenue_share,
        sizes.mean_confidence,
        sizes.is_clustered,
        cast(sizes.share_without_credit_account as {{ customer_segmentation.type_double() }})
            as share_without_credit_account,
        names.top_feature_1,
        names.top_feature_1_z_score,
        names.top_feature_2,
        names.top_feature_2_z_score,
        names.top_feature_3,
        names.top_feature_3_z_score,
        {{ dbt.concat([
            "coalesce(top_feature_labels.label_1, '')",
            "coalesce(" ~ dbt.concat(["', '", 'top_feature_labels.label_2']) ~ ", '')",
            "coalesce(" ~ dbt.concat(["', '", 'top_feature_labels.label_3']) ~ ", '')",
        ]) }} as top_features,
        names.match_score,
        cast(top_categories.top_categories as {{ dbt.type_string() }}) as top_categories,
        reference_date.as_of_date
    from sizes
    inner join names
        on sizes.segment_id = names.segment_id
    left join revenue
        on sizes.segment_id = revenue.segment_id
    left join top_feature_labels
        on sizes.segment_id = top_feature_labels.segment_id
    left join top_categories
        on sizes.segment_id = top_categories.segment_id
    cross join reference_date

)

select * from final
