{#- Per segment, categorical profile column and level (after folding): the level's
    share of the segment against its share of the population, and how over-represented
    it is (representation_rank 1 = the level whose share most exceeds the population's,
    in share points: a ratio would put a level of five customers first). Every level of the population has a row in every segment, 0 when absent. -#}
{%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
{%- set string_type = dbt.type_string() -%}
{%- set double_type = customer_segmentation.type_double() %}

with categories as (

    select * from {{ ref('int_customer_categories') }}

),

scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

category_levels as (

    {%- for column in categorical %}
    select
        scores.segment_id,
        cast('{{ column }}' as {{ string_type }}) as column_name,
        {{ loop.index }} as column_position,
        categories.{{ column }} as level
    from scores
    inner join categories
        on scores.customer_id = categories.customer_id
    union all
    {%- endfor %}
    select
        cast(null as {{ dbt.type_bigint() }}) as segment_id,
        cast(null as {{ string_type }}) as column_name,
        cast(null as {{ dbt.type_int() }}) as column_position,
        cast(null as {{ string_type }}) as level
    where 1 = 0

),

segment_sizes as (

    select
        segment_id,
        count(*) as customers
    from scores
    group by segment_id

),

population_levels as (

    select
        column_name,
        column_position,
        level,
        count(*) as population_customers,
        cast(count(*) as {{ double_type }}) / sum(count(*)) over (partition by column_name) as population_share
    from category_levels
    group by column_name, column_position, level

),

segment_levels as (

    select
        segment_id,
        column_name,
        level,
        count(*) as level_customers
    from category_levels
    group by segment_id, column_name, level

),

grid as (

    select
        segment_sizes.segment_id,
        segment_sizes.customers,
        population_levels.column_name,
        population_levels.column_position,
        population_levels.level,
        population_levels.population_customers,
        population_levels.population_share
    from segment_sizes
    cross join population_levels

),

shares as (

    select
        grid.segment_id,
        grid.column_name,
        grid.column_position,
        grid.level,
        grid.customers,
        coalesce(segment_levels.level_customers, 0) as level_customers,
        cast(coalesce(segment_levels.level_customers, 0) as {{ double_type }}) / grid.customers as segment_share,
        grid.population_customers,
        grid.population_share
    from grid
    left join segment_levels
        on
            grid.segment_id = segment_levels.segment_id
            and grid.column_name = segment_levels.column_name
            and grid.level = segment_levels.level

),

final as (

    select
        segment_id,
        column_name,
        column_position,
        level,
        customers,
        level_customers,
        segment_share,
        population_customers,
        population_share,
        segment_share - population_share as share_difference,
        segment_share / population_share as share_ratio,
        cast(row_number() over (
            partition by segment_id
            order by segment_share - population_share desc, column_position asc, level asc
        ) as {{ dbt.type_bigint() }}) as representation_rank
    from shares

)

select * from final
