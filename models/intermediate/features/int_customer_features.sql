{#- One row per customer: customer_id and numeric feature columns only. Every column
    but customer_id is a candidate model feature; protected attributes live in
    int_customer_attributes and are never joined in here. Profile columns: a number as
    it is, a boolean as 1/0, an ordinal as its rank; categorical columns are text and
    live in int_customer_categories. -#}
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
{%- set profile = customer_segmentation.validated_profile_columns(var('customer_profile_columns')) -%}
{%- for column in profile | map(attribute='name') if column in var('protected_attributes') -%}
    {{ exceptions.raise_compiler_error(
        "'" ~ column ~ "' is in both var customer_profile_columns and var protected_attributes: "
        ~ "a protected attribute can never be a model feature. Remove it from customer_profile_columns."
    ) }}
{%- endfor -%}
{%- set feature_columns = [] -%}
{%- for column in profile if column.type != 'categorical' -%}
    {%- do feature_columns.append(
        'cast(customers.' ~ column.name ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column.name
    ) -%}
{%- endfor -%}
{%- for column in rfm_features if has_rfm -%}
    {%- do feature_columns.append('cast(rfm.' ~ column ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column) -%}
{%- endfor -%}
{%- for column in utilization_features if has_utilization -%}
    {%- do feature_columns.append('cast(utilization.' ~ column ~ ' as ' ~ customer_segmentation.type_double() ~ ') as ' ~ column) -%}
{%- endfor -%}
{#- a categorical column named in var segment_features: one 0/1 indicator per level
    after folding (int_customer_category_levels.indicator_name) -#}
{%- set roles = customer_segmentation.validated_feature_roles() -%}
{%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
{%- set indicator_columns = [] -%}
{%- for column in categorical if column in (roles.segment_features or [])
    and column not in (roles.segment_exclude_features or []) -%}
    {%- do indicator_columns.append(column) -%}
{%- endfor -%}
{%- if indicator_columns and execute -%}
    {%- set indicators = run_query(
        'select distinct column_name, model_level, indicator_name from '
        ~ ref('int_customer_category_levels') ~ ' order by indicator_name'
    ) -%}
    {%- for column in indicator_columns -%}
        {%- for row in indicators.rows if row[0] == column -%}
            {%- do feature_columns.append(
                'case when categories.' ~ column ~ " = '" ~ row[1] | replace("'", "''")
                ~ "' then 1.0 else 0.0 end as " ~ row[2]
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}
{%- if not feature_columns -%}
    {{ exceptions.raise_compiler_error(
        "No feature family is enabled: list transactions or credit_accounts in var optional_inputs, "
        ~ "or number, boolean or ordinal customer columns in var customer_profile_columns."
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
{% if indicator_columns -%}
-- depends_on: {{ ref('int_customer_category_levels') }}
-- joined below under the same condition (sqlfluff's variants render the two apart)
categories as ( -- noqa: ST03

    select * from {{ ref('int_customer_categories') }}

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
    {%- if indicator_columns %}
    left join categories
        on customers.customer_id = categories.customer_id
    {%- endif %}

)

select * from features
