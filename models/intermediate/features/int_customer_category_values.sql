{#- One row per customer and categorical profile column (var customer_profile_columns,
    type categorical): the value as given, trimmed, a missing value read as the level
    'unknown'. Long, so that levels are learned and applied by one query whatever the
    number of columns. -#}
{%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
{%- set string_type = dbt.type_string() %}

with customers as (

    select * from {{ ref('stg_input__customers') }}

),

category_values as (

    {%- for column in categorical %}
    select
        customer_id,
        cast('{{ column }}' as {{ string_type }}) as column_name,
        coalesce(cast({{ column }} as {{ string_type }}), 'unknown') as level
    from customers
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as customer_id,
        cast(null as {{ string_type }}) as column_name,
        cast(null as {{ string_type }}) as level
    where 1 = 0

)

select * from category_values
