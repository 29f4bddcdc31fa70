{{ config(materialized='table', enabled=customer_segmentation.propensity_is_enabled()) }}
{#- One row per customer: the propensity model's inputs, all measured before the target
    campaign's contact date, and its target. Feature columns are those of
    int_customer_features (no protected attribute is ever there), with the dated RFM
    values recomputed at the contact date, plus the earlier-campaign history. For a
    customers outcome (var propensity_outcome), the features at the as_of_date, the
    history of the campaigns before it when campaign_responses is an input, and the
    outcome column as target (a customer whose outcome is null is scored, not trained on). -#}
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{%- set from_campaign = outcome.source == 'campaign_responses' -%}
{%- set has_history = customer_segmentation.input_is_enabled('campaign_responses') -%}
{%- set has_rfm = customer_segmentation.input_is_enabled('transactions') and from_campaign -%}
{%- set dated_features = ['recency_days', 'frequency', 'monetary_total', 'average_order_value', 'tenure_days'] -%}
{%- set feature_columns = [] -%}
{#- var propensity_features / propensity_exclude_features over the numeric features
    (segmentation indicators left out) and the categorical columns (text) -#}
{%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
{%- for column in customer_segmentation.propensity_feature_names() -%}
    {%- if column in categorical -%}
        {%- do feature_columns.append('categories.' ~ column) -%}
    {%- elif has_rfm and column | lower in dated_features -%}
        {%- do feature_columns.append('rfm_at_campaign.' ~ column) -%}
    {%- else -%}
        {%- do feature_columns.append('features.' ~ column) -%}
    {%- endif -%}
{%- endfor %}

with features as (

    select * from {{ ref('int_customer_features') }}

),

{% if has_rfm -%}
rfm_at_campaign as (

    select * from {{ ref('int_customer_rfm_at_campaign') }}

),

{% endif -%}
{% if categorical -%}
categories as (

    select * from {{ ref('int_customer_categories') }}

),

{% endif -%}
{% if has_history -%}
history as (

    select * from {{ ref('int_customer_campaign_history') }}

),

{% endif -%}
{% if from_campaign -%}
target_campaign as (

    select * from {{ ref('int_propensity_campaign') }}

),

target_responses as (

    select
        responses.customer_id,
        responses.has_responded
    from {{ ref('int_campaign_responses_scoped') }} as responses
    inner join target_campaign
        on responses.campaign_id = target_campaign.campaign_id
    where responses.exclusion_reason is null

),
{%- else %}
target_responses as (

    select
        customer_id,
        has_outcome as has_responded
    from {{ ref('stg_input__customers') }}
    where has_outcome is not null

),
{%- endif %}

final as (

    select
        features.customer_id,
        target_responses.customer_id is not null as is_training,
        target_responses.has_responded,
        {%- for column in feature_columns %}
        {{ column }}{{ ',' if has_history or not loop.last }}
        {%- endfor %}
        {%- if has_history %}
        history.previous_campaigns_contacted,
        history.previous_campaigns_accepted,
        history.last_campaign_responded
        {%- endif %}
    from features
    {%- if has_rfm %}
    left join rfm_at_campaign  -- noqa: ST11
        on features.customer_id = rfm_at_campaign.customer_id
    {%- endif %}
    {%- if categorical %}
    left join categories
        on features.customer_id = categories.customer_id
    {%- endif %}
    {%- if has_history %}
    left join history
        on features.customer_id = history.customer_id
    {%- endif %}
    left join target_responses
        on features.customer_id = target_responses.customer_id

)

select * from final
