{#- One row per customer: one text column per categorical profile column, holding the
    level the models see (int_customer_category_levels.model_level): a rare level and a
    level the levels table does not know (unseen at fit) both read as 'other'. -#}
{%- set categorical = customer_segmentation.input_contract('customers').categorical %}

with customers as (

    select * from {{ ref('stg_input__customers') }}

),

category_values as (

    select * from {{ ref('int_customer_category_values') }}

),

levels as (

    select * from {{ ref('int_customer_category_levels') }}

),

applied as (

    select
        category_values.customer_id,
        category_values.column_name,
        coalesce(levels.model_level, 'other') as model_level
    from category_values
    left join levels
        on
            category_values.column_name = levels.column_name
            and category_values.level = levels.level

),

wide as (

    select
        customers.customer_id
        {%- for column in categorical %},
        max(case when applied.column_name = '{{ column }}' then applied.model_level end) as {{ column }}
        {%- endfor %}
    from customers
    left join applied
        on customers.customer_id = applied.customer_id
    group by customers.customer_id

)

select * from wide
