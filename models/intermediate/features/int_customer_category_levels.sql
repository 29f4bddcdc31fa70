{#- One row per categorical column and level found in the fit population (every
    customer of this build): its customers and share, and the level the models see
    (model_level): the level itself, or 'other' when it is rarer than var
    category_min_share or var category_min_customers. 'unknown' (a missing value) is a
    level of its own and never folded. -#}
{%- set min_share = customer_segmentation.validated_number(
    var('category_min_share'), 'var category_min_share', 0, 1
) -%}
{%- set min_customers = customer_segmentation.validated_number(
    var('category_min_customers'), 'var category_min_customers', 0, none, whole=true
) %}

with category_values as (

    select * from {{ ref('int_customer_category_values') }}

),

level_counts as (

    select
        column_name,
        level,
        count(*) as customers
    from category_values
    group by column_name, level

),

shares as (

    select
        column_name,
        level,
        customers,
        cast(customers as {{ customer_segmentation.type_double() }})
            / sum(customers) over (partition by column_name) as customer_share
    from level_counts

),

folded as (

    select
        column_name,
        level,
        customers,
        customer_share,
        level != 'unknown'
        and (customer_share < {{ min_share }} or customers < {{ min_customers }}) as is_folded
    from shares

),

modelled as (

    select
        column_name,
        level,
        customers,
        customer_share,
        is_folded,
        case when is_folded then 'other' else level end as model_level,
        cast(row_number() over (partition by column_name order by customers desc, level asc) as {{ dbt.type_bigint() }}) as level_rank
    from folded

),

slugged as (

    select
        *,
        coalesce(
            nullif({{ customer_segmentation.identifier_slug('model_level') }}, ''), 'level'
        ) as level_slug
    from modelled

),

named as (

    select
        *,
        -- two model levels with one slug ('One-year', 'one year') are numbered in level order
        dense_rank() over (partition by column_name, level_slug order by model_level asc) as slug_number
    from slugged

),

counted as (

    -- the slug's distinct model levels (its largest dense rank: portable, where
    -- count(distinct) over a window is not)
    select
        *,
        max(slug_number) over (partition by column_name, level_slug) as slug_levels
    from named

),

final as (

    select
        column_name,
        level,
        customers,
        customer_share,
        is_folded,
        model_level,
        level_rank,
        {{ dbt.concat([
            'column_name', "'__'", 'level_slug',
            "case when slug_levels > 1 then '_' || cast(slug_number as " ~ dbt.type_string() ~ ") else '' end",
        ]) }} as indicator_name
    from counted

)

select * from final
