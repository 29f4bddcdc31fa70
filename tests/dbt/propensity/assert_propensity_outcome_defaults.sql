{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
-- The propensity outcome under the build's vars: every key filled in (defaults for the keys
-- left out), the family enabled from either source, and the outcome recorded on the target
-- row. The refusals stop compilation, so pytest checks them
-- (tests/python/test_propensity_outcome.py, test_a_wrong_outcome_is_named).
{%- set outcome = customer_segmentation.propensity_outcome() -%}
{%- set default_name = 'campaign response' if outcome.source == 'campaign_responses' else outcome.column -%}
{%- set given = var('propensity_outcome', none) or {} %}

with target as (

    select * from {{ ref('int_propensity_campaign') }}

),

checks as (

    select
        'enabled' as check_name,
        '{{ customer_segmentation.propensity_is_enabled() }}' as actual_value,
        'True' as expected_value

    union all

    select
        'name' as check_name,
        '{{ outcome.name | replace("'", "''") }}' as actual_value,
        '{{ (given.get("name") or default_name) | replace("'", "''") }}' as expected_value

    union all

    select
        'direction' as check_name,
        '{{ outcome.direction }}' as actual_value,
        '{{ given.get("direction") or "favourable" }}' as expected_value

    union all

    select
        'recorded direction' as check_name,
        target.outcome_direction as actual_value,
        '{{ outcome.direction }}' as expected_value
    from target

    union all

    select
        'recorded source' as check_name,
        target.outcome_source as actual_value,
        '{{ outcome.source }}' as expected_value
    from target

)

select *
from checks
where actual_value != expected_value
