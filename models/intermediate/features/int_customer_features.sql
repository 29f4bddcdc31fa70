{#- One row per customer: customer_id and numeric feature columns only. Every column
    but customer_id is a candidate model feature; protected attributes live in
    int_customer_attributes and are never joined in here. -#}
{%- set rfm_features = ['recency_days', 'frequency', 'monetary_total', 'average_order_value', 'tenure_days'] -%}
{%- set has_rfm = customer_segmentation.input_is_enabled('transactions') -%}
{%- set has_utilization = customer_segmentation.input_is_enabled('credit_accounts') -%}
{#- only the utilization features int_customer_utilization could build from the
    credit-account columns present, plus the extra columns of var
    credit_account_extra_columns -#}
{%- set utilization_columns = none -%}
{%- if has_utilization and execute -%}
    {%- set utilization_columns = adapter.get_columns_in_relation(ref('int_customer_utilization'))
        | map(attribute='name') | map('lower') | list -%}
{%- endif -%}
{%- set utilization_features = customer_segmentation.credit_account_features(utilization_columns).features
    if has_utilization else [] -%}
{%- set profile_features = var('customer_profile_columns') -%}
{%- for column in profile_features if column in var('protected_attributes') -%}
    {{ exceptions.raise_compiler_error(
        "'" ~ column ~ "' is in both var customer_profile_columns and var protected_attributes: "
        ~ "a protected attribute can never be a model feature. Remove it from customer_profile_columns."
    ) }}
{%- endfor -%}
{%- set feature_columns = [] -%}
{%- for column in profile_features -%}
    {%- do feature_columns.append('cast(customers.' ~ column ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column) -%}
{%- endfor -%}
{%- for column in rfm_features if has_rfm -%}
    {%- do feature_columns.append('cast(rfm.' ~ column ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column) -%}
{%- endfor -%}
{%- for column in utilization_features if has_utilization -%}
    {%- do feature_columns.append('cast(utilization.' ~ column ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column) -%}
{%- endfor -%}
{%- if not feature_columns -%}
    {{ exceptions.raise_compiler_error(
        "No feature family is enabled: list transactions or credit_accounts in var optional_inputs, "
        ~ "or numeric customer columns in var customer_profile_columns."
    ) }}
{%- endif -%}

with customers as (

    select * from {{ ref('stg_input__customers') }}

),

{% if has_rfm -%}
rfm as (

    select * from {{ ref('int_customer_rfm') }}

),

{% endif -%}
{% if has_utilization -%}
utilization as (

    select * from {{ ref('int_customer_utilization') }}

),

{% endif -%}
features as (

    select
        customers.customer_id,
        {{ feature_columns | join(',\n        ') }}
    from customers
    {%- if has_rfm %}
    left join rfm
        on customers.customer_id = rfm.customer_id
    {%- endif %}
    {%- if has_utilization %}
    left join utilization
        on customers.customer_id = utilization.customer_id
    {%- endif %}

)

select * from features
