{#- One row per enabled input and data-quality rule: what came in, what the rule
    excluded or repaired, what went on to the features. Rules are listed in the
    data_quality_rules seed; a reason found in the data but missing there shows up
    with a null action, which the mart's tests catch. -#}
{%- set inputs = ['customers'] -%}
{%- for name in ['transactions', 'credit_accounts', 'campaign_responses'] if customer_segmentation.input_is_enabled(name) -%}
    {%- do inputs.append(name) -%}
{%- endfor -%}
{#- repairs: rows kept with a value changed, counted from boolean flags of staging -#}
{%- set repairs = {
    'customers': [('consent_defaulted', 'is_consent_defaulted')],
    'transactions': [('refund_netted', 'is_refund'), ('refund_sign_corrected', 'is_refund_sign_corrected')],
    'credit_accounts': [
        ('credit_limit_missing', 'is_credit_limit_missing'),
        ('minimum_payments_missing', 'is_minimum_payments_missing'),
    ],
    'campaign_responses': [],
} -%}

with rules as (

    select * from {{ ref('data_quality_rules') }}

),

{#- each input is read once per layer: one pass over its base rows and one over its
    kept rows, grouped by exclusion reason, give every count below. The scoped inputs
    are views over millions of lines: an engine that inlines a CTE read several times
    would repeat their join for each count (DuckDB materializes such CTEs itself). -#}
{% for name in inputs -%}
{{ name }}_base as (

    select
        exclusion_reason,
        count(*) as distinct_rows,
        cast(sum(row_copies) as {{ dbt.type_bigint() }}) as rows_in
    from {{ ref('base_input__' ~ name) }}
    group by exclusion_reason

),

{{ name }}_kept as (

    select
        {%- if name == 'customers' %}
        cast(null as {{ dbt.type_string() }}) as exclusion_reason,
        {%- else %}
        exclusion_reason,
        {%- endif %}
        {%- for check_name, flag in repairs[name] %}
        count(case when {{ flag }} then 1 end) as {{ check_name }}_rows,
        {%- endfor %}
        count(*) as kept_rows
    {%- if name == 'customers' %}
    from {{ ref('stg_input__customers') }}
    {%- else %}
    from {{ ref('int_' ~ name ~ '_scoped') }}
    group by exclusion_reason
    {%- endif %}

),

{% endfor -%}
totals as (

    {%- for name in inputs %}
    select
        '{{ name }}' as input_name,
        (select cast(sum(rows_in) as {{ dbt.type_bigint() }}) from {{ name }}_base) as rows_in,
        (
            select cast(coalesce(sum(kept_rows), 0) as {{ dbt.type_bigint() }}) from {{ name }}_kept
            where exclusion_reason is null
        ) as rows_out
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

counts as (

    {%- for name in inputs %}
    select
        '{{ name }}' as input_name,
        'duplicate_row' as check_name,
        cast(sum(rows_in - distinct_rows) as {{ dbt.type_bigint() }}) as rows_affected
    from {{ name }}_base

    union all

    select
        '{{ name }}' as input_name,
        exclusion_reason as check_name,
        distinct_rows as rows_affected
    from {{ name }}_base
    where exclusion_reason is not null

    union all

    {%- if name != 'customers' %}
    select
        '{{ name }}' as input_name,
        exclusion_reason as check_name,
        kept_rows as rows_affected
    from {{ name }}_kept
    where exclusion_reason is not null

    union all

    {%- endif %}
    {%- for check_name, flag in repairs[name] %}
    select
        '{{ name }}' as input_name,
        '{{ check_name }}' as check_name,
        cast(coalesce(sum({{ check_name }}_rows), 0) as {{ dbt.type_bigint() }}) as rows_affected
    from {{ name }}_kept
    where exclusion_reason is null

    union all

    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as input_name,
        cast(null as {{ dbt.type_string() }}) as check_name,
        0 as rows_affected
    where 1 = 0

),

enabled_rules as (

    select rules.*
    from rules
    inner join totals
        on rules.input_name = totals.input_name

),

checks as (

    select
        coalesce(enabled_rules.input_name, counts.input_name) as input_name,
        coalesce(enabled_rules.check_name, counts.check_name) as check_name,
        enabled_rules.action,
        enabled_rules.description,
        coalesce(counts.rows_affected, 0) as rows_affected
    from enabled_rules
    full outer join counts
        on enabled_rules.input_name = counts.input_name
        and enabled_rules.check_name = counts.check_name

),

final as (

    select
        checks.input_name,
        checks.check_name,
        checks.action,
        checks.description,
        totals.rows_in,
        checks.rows_affected,
        totals.rows_out
    from checks
    inner join totals
        on checks.input_name = totals.input_name

)

select * from final
