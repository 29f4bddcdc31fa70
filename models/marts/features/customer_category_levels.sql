{#- One row per categorical profile column and level: the levels learned at fit
    (int_customer_category_levels) with how many customers each holds when scored,
    and a row for every level met at scoring that the fit did not see (is_unseen: read
    as 'other'). -#}
with levels as (

    select * from {{ ref('int_customer_category_levels') }}

),

category_values as (

    select * from {{ ref('int_customer_category_values') }}

),

scored as (

    select
        column_name,
        level,
        count(*) as scored_customers
    from category_values
    group by column_name, level

),

final as (

    select
        coalesce(levels.column_name, scored.column_name) as column_name,
        coalesce(levels.level, scored.level) as level,
        coalesce(levels.model_level, 'other') as model_level,
        coalesce(levels.customers, 0) as fit_customers,
        coalesce(levels.customer_share, 0) as fit_share,
        coalesce(levels.is_folded, false) as is_folded,
        levels.level is null as is_unseen,
        coalesce(scored.scored_customers, 0) as scored_customers,
        levels.level_rank
    from levels
    full outer join scored
        on
            levels.column_name = scored.column_name
            and levels.level = scored.level

)

select * from final
