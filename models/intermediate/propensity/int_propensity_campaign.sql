{{ config(enabled=customer_segmentation.input_is_enabled('campaign_responses')) }}
{#- One row: the campaign the propensity model learns to predict. var propensity_campaign
    names it; null takes the latest by contact date. Its first contact date is the
    snapshot date: every feature of the model is measured strictly before it. -#}
{%- set configured = var('propensity_campaign', none) -%}
{#- quotes doubled: the id is compared as an SQL text literal -#}
{%- set configured_literal = customer_segmentation.validated_text(
    configured, 'var propensity_campaign', 'a campaign_id of input campaign_responses', allow_none=true
) -%}
{%- if execute and configured is not none -%}
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
        {%- endif %}
    from ranked
    {% if configured is none -%}
    where recency_rank = 1
    {%- else -%}
    where campaign_id = '{{ configured_literal }}'
    {%- endif %}

)

select * from final
