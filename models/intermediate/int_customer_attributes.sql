{#- Protected attributes and consent, beside (never inside) the feature table. -#}
{%- set contract = customer_segmentation.input_contract('customers') -%}

with customers as (

    select * from {{ ref('stg_input__customers') }}

),

reference_date as (

    select as_of_date from {{ ref('int_reference_date') }}

),

aged as (

    select
        customers.*,
        coalesce(
            extract(year from reference_date.as_of_date) - extract(year from customers.birth_date)
            - case
                when extract(month from reference_date.as_of_date) * 100
                    + extract(day from reference_date.as_of_date)
                    < extract(month from customers.birth_date) * 100
                    + extract(day from customers.birth_date)
                    then 1
                else 0
            end,
            customers.age_years_given
        ) as age_years
    from customers
    cross join reference_date

),

attributes as (

    select
        customer_id,
        coalesce(gender, 'unknown') as gender,
        cast(age_years as {{ dbt.type_int() }}) as age_years,
        {{ customer_segmentation.age_band('age_years') }} as age_band,
        coalesce(marital_status, 'unknown') as marital_status,
        {%- for column in contract.extra_protected %}
        coalesce({{ column }}, 'unknown') as {{ column }},
        {%- endfor %}
        has_marketing_consent
    from aged

)

select * from attributes
