{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- One row: the target the propensity model learns to predict, with its outcome (var
    propensity_outcome). For campaign responses, the campaign var propensity_campaign
    names (null: the latest by contact date); its first contact date is the snapshot
    date: every feature of the model is measured strictly before it. For a customers
    outcome, the outcome itself (campaign_id is its name) at the as_of_date. -#}
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{%- set configured = var('propensity_campaign', none) -%}
{#- quotes doubled: the id is compared as an SQL text literal -#}
{%- set configured_literal = customer_segmentation.validated_text(
    configured, 'var propensity_campaign', 'a campaign_id of input campaign_responses', allow_none=true
) -%}
{%- if execute and configured is not none and outcome.source == 'campaign_responses' -%}
    {%- set available = run_query(
        'select campaign_id from ' ~ ref('int_campaign_responses_scoped')
        ~ ' where exclusion_reason is null group by campaign_id order by min(contacted_date), campaign_id'
    ).columns[0].values() -%}
    {%- if configured | string not in available | map('string') | list -%}
        {{ exceptions.raise_compiler_error(
            "var propensity_campaign is '" ~ configured ~ "', which is not a campaign_id of input "
            ~ "campaign_responses (valid rows). Available: " ~ available | join(', ')
            ~ ". Set propensity_campaign to one of them, or to null for the latest."
        ) }}
    {%- endif -%}
{%- endif -%}
{%- set outcome_columns -%}
        '{{ outcome.name | replace("'", "''") }}' as outcome_name,
        '{{ outcome.source }}' as outcome_source,
        '{{ outcome.direction }}' as outcome_direction
{%- endset %}
{%- if outcome.source == 'campaign_responses' %}

with campaign_responses as (

    select * from {{ ref('int_campaign_responses_scoped') }}
    where exclusion_reason is null

),

campaigns as (

    select
        campaign_id,
        min(contacted_date) as contacted_date,
        count(*) as contacted_customers,
        cast(sum(case when has_responded then 1 else 0 end) as {{ dbt.type_bigint() }}) as responders
    from campaign_responses
    group by campaign_id

),

ranked as (

    select
        *,
        row_number() over (order by contacted_date desc, campaign_id desc) as recency_rank
    from campaigns

),

final as (

    select
        campaign_id,
        contacted_date,
        contacted_customers,
        responders,
        {% if configured is none -%}
        'latest by contact date' as selection_rule
        {%- else -%}
        'configured (var propensity_campaign)' as selection_rule
        {%- endif %},
        {{ outcome_columns }}
    from ranked
    {% if configured is none -%}
    where recency_rank = 1
    {%- else -%}
    where campaign_id = '{{ configured_literal }}'
    {%- endif %}

)

select * from final
{%- else %}

with customers as (

    select * from {{ ref('stg_input__customers') }}

),

reference_date as (

    select * from {{ ref('int_reference_date') }}

),

final as (

    select
        '{{ outcome.name | replace("'", "''") }}' as campaign_id,
        max(reference_date.as_of_date) as contacted_date,
        count(customers.has_outcome) as contacted_customers,
        cast(sum(case when customers.has_outcome then 1 else 0 end) as {{ dbt.type_bigint() }}) as responders,
        'customers outcome {{ outcome.column }} at the as_of_date (var propensity_outcome)' as selection_rule,
        {{ outcome_columns }}
    from customers
    cross join reference_date

)

select * from final
{%- endif %}
