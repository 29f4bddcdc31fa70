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
        -- a birth date after as_of_date gives no age: read as unknown (counted)
        case when customers.birth_date > reference_date.as_of_date then customers.birth_date end
            as rejected_birth_date,
        coalesce(
            case when customers.birth_date <= reference_date.as_of_date then
                extract(year from reference_date.as_of_date) - extract(year from customers.birth_date)
                - case
                    when extract(month from reference_date.as_of_date) * 100
                        + extract(day from reference_date.as_of_date)
                        < extract(month from customers.birth_date) * 100
                        + extract(day from customers.birth_date)
                        then 1
                    else 0
                end
            end,
            customers.age_years_given
        ) as age_years_found
    from customers
    cross join reference_date

),

checked as (

    select
        *,
        -- nobody is younger than 0 or older than 130: such an age is a data error
        case when age_years_found between 0 and 130 then age_years_found end as age_years,
        case when age_years_found not between 0 and 130 then age_years_found end as rejected_age_years
    from aged

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
        has_marketing_consent,
        is_consent_defaulted,
        rejected_birth_date,
        cast(rejected_age_years as {{ dbt.type_int() }}) as rejected_age_years
    from checked

)

select * from attributes
