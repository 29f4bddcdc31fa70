{{ customer_segmentation.assert_unique_key(ref('base_input__customers'), ['customer_id'], 'customers') }}
{%- set contract = customer_segmentation.input_contract('customers') -%}
{%- set consent_default = var('marketing_consent_default', false) -%}
{%- if consent_default is not sameas true and consent_default is not sameas false -%}
    {{ exceptions.raise_compiler_error(
        "var marketing_consent_default is " ~ consent_default ~ ": use false (a customer with no "
        ~ "recorded consent is never a target) or true (consent is managed outside this data)."
    ) }}
{%- endif -%}
{%- set profile_columns = customer_segmentation.validated_profile_columns(var('customer_profile_columns'))
    | map(attribute='name') | list -%}
{%- set has_outcome = customer_segmentation.propensity_outcome().source == 'customers' -%}

with customers as (

    select * from {{ ref('base_input__customers') }}
    where exclusion_reason is null

),

cleaned as (

    select
        customer_id,
        {%- for column in contract.optional if column in contract.categorical
            or column in contract.extra_protected or column in profile_columns %}
        {{ column }},
        {%- endfor %}
        gender,
        birth_date,
        age_years_given,
        marital_status,
        -- no recorded consent is read as var marketing_consent_default: false (never
        -- contact) unless the user says consent is managed outside this data
        coalesce(has_marketing_consent_given, {{ consent_default }}) as has_marketing_consent,
        has_marketing_consent_given is null as is_consent_defaulted
        {%- if has_outcome %},
        -- the propensity outcome (var propensity_outcome source customers); null: unknown
        has_outcome
        {%- endif %}
    from customers

)

select * from cleaned
