{#- One row per enabled input, data-quality rule and column: what came in, what the rule
    excluded or repaired (with example values), what went on to the features. Rules are
    listed in the data_quality_rules seed; a reason found in the data but missing there
    shows up with a null action, which the mart's tests catch. -#}
{%- set inputs = ['customers'] -%}
{%- for name in ['transactions', 'credit_accounts', 'campaign_responses'] if customer_segmentation.input_is_enabled(name) -%}
    {%- do inputs.append(name) -%}
{%- endfor -%}
{%- set string_type = dbt.type_string() -%}
{#- repairs: rows kept with a value changed, counted from a flag of the kept rows:
    (check_name, flag, column_name, value whose smallest and largest are the examples) -#}
{%- set repairs = {
    'customers': [
        ('consent_defaulted', 'is_consent_defaulted', 'has_marketing_consent', none),
        ('future_birth_date', 'rejected_birth_date is not null', 'birth_date', 'rejected_birth_date'),
        ('implausible_age', 'rejected_age_years is not null', 'age_years', 'rejected_age_years'),
    ],
    'transactions': [
        ('refund_netted', 'is_refund', none, none),
        ('refund_sign_corrected', 'is_refund_sign_corrected', 'amount', none),
        ('unflagged_negative_amount', 'is_negative_amount_unflagged', 'amount', 'amount'),
    ],
    'credit_accounts': [
        ('credit_limit_missing', 'is_credit_limit_missing', 'credit_limit', none),
        ('minimum_payments_missing', 'is_minimum_payments_missing', 'minimum_payments', none),
    ],
    'campaign_responses': [],
} -%}
{#- exclusions: the column each reason is about; for the reasons the scoped models set,
    the value whose smallest and largest are the examples -#}
{%- set exclusion_columns = {
    'customers': {'missing_customer_id': 'customer_id'},
    'transactions': {
        'missing_customer_id': 'customer_id', 'missing_transacted_at': 'transacted_at',
        'invalid_transacted_at': 'transacted_at', 'missing_amount': 'amount',
        'non_numeric_amount': 'amount', 'zero_amount': 'amount', 'unknown_customer': 'customer_id',
        'dated_after_run_date': 'transacted_at', 'after_as_of_date': 'transacted_at',
        'extreme_amount': 'amount',
    },
    'credit_accounts': {'missing_customer_id': 'customer_id', 'unknown_customer': 'customer_id'},
    'campaign_responses': {
        'missing_customer_id': 'customer_id', 'missing_campaign_id': 'campaign_id',
        'missing_contacted_at': 'contacted_at', 'invalid_contacted_at': 'contacted_at',
        'missing_responded': 'responded', 'invalid_responded': 'responded',
        'unknown_customer': 'customer_id',
    },
} -%}
{%- set scoped_examples = {
    'transactions': {
        'dated_after_run_date': 'transacted_at', 'after_as_of_date': 'transacted_at', 'extreme_amount': 'amount',
    },
} -%}
{#- the typed columns each base model checked (it keeps <column>_unreadable for each) -#}
{%- set checked = {} -%}
{%- for name in inputs -%}
    {%- set built = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(ref('base_input__' ~ name)) -%}
            {%- do built.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do checked.update({name: []}) -%}
    {%- for typed in customer_segmentation.input_contract(name).typed if (typed.column ~ '_unreadable') in built -%}
        {%- do checked[name].append(typed) -%}
    {%- endfor -%}
{%- endfor %}

with rules as (

    select * from {{ ref('data_quality_rules') }}

),

{#- each input is read once per layer: one pass over its base rows and one over its
    kept rows, grouped by exclusion reason, give every count below (plus, for each
    checked column, one pass over its few unreadable values). The scoped inputs are
    views over millions of lines: an engine that inlines a CTE read several times would
    repeat their join for each count (DuckDB materializes such CTEs itself). -#}
{% for name in inputs -%}
{%- set examples = scoped_examples.get(name, {}).values() | unique | list -%}
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
        cast(null as {{ string_type }}) as exclusion_reason,
        {%- else %}
        exclusion_reason,
        {%- endif %}
        {%- for check_name, flag, column_name, value in repairs[name] %}
        count(case when {{ flag }} then 1 end) as {{ check_name }}_rows,
        {%- if value is not none %}
        min(case when {{ flag }} then {{ value }} end) as {{ check_name }}_min,
        max(case when {{ flag }} then {{ value }} end) as {{ check_name }}_max,
        {%- endif %}
        {%- endfor %}
        {%- for value in examples %}
        min({{ value }}) as {{ value }}_min,
        max({{ value }}) as {{ value }}_max,
        {%- endfor %}
        count(*) as kept_rows
    {%- if name == 'customers' %}
    from {{ ref('int_customer_attributes') }}
    {%- else %}
    from {{ ref('int_' ~ name ~ '_scoped') }}
    group by exclusion_reason
    {%- endif %}

),

{{ name }}_checked as (

    {%- for typed in checked[name] %}
    select
        cast('{{ typed.column }}' as {{ string_type }}) as column_name,
        cast('{{ typed.rule }}' as {{ string_type }}) as check_name
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as column_name,
        cast(null as {{ string_type }}) as check_name
    where 1 = 0

),

{{ name }}_unreadable_values as (

    {%- for typed in checked[name] %}
    -- values present but unreadable; for a rule that excludes the row, those of its rows
    select
        '{{ typed.column }}' as column_name,
        {{ typed.column }}_unreadable as unreadable_value,
        count(*) as value_rows
    from {{ ref('base_input__' ~ name) }}
    where
        {{ typed.column }}_unreadable is not null
        {%- if not typed.rule.startswith('unreadable_') %}
        and exclusion_reason = '{{ typed.rule }}'
        {%- endif %}
    group by {{ typed.column }}_unreadable
    union all
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as column_name,
        cast(null as {{ string_type }}) as unreadable_value,
        0 as value_rows
    where 1 = 0

),

{{ name }}_unreadable as (

    select
        checked.column_name,
        checked.check_name,
        cast(coalesce(sum(unreadable.value_rows), 0) as {{ dbt.type_bigint() }}) as rows_affected,
        -- the most frequent few, quoted so that a blank value shows
        {{ dbt.listagg(
            dbt.concat(["''''", "unreadable.unreadable_value", "''''"]),
            "', '",
            "order by unreadable.value_rows desc, unreadable.unreadable_value",
            3,
        ) }} as example_values
    from {{ name }}_checked as checked
    left join {{ name }}_unreadable_values as unreadable
        on checked.column_name = unreadable.column_name
    group by checked.column_name, checked.check_name

),

{% endfor -%}
category_levels as (

    select * from {{ ref('int_customer_category_levels') }}

),

category_values as (

    select * from {{ ref('int_customer_category_values') }}

),

-- customers whose categorical level is read as 'other': a rare level folded, or a level
-- the learned levels do not hold (unseen at fit); one row per categorical column
category_changes as (

    select
        'category_level_folded' as check_name,
        column_name,
        level,
        customers as value_rows
    from category_levels
    where is_folded

    union all

    select
        'category_level_unseen' as check_name,
        category_values.column_name,
        category_values.level,
        count(*) as value_rows
    from category_values
    left join category_levels
        on
            category_values.column_name = category_levels.column_name
            and category_values.level = category_levels.level
    where category_levels.level is null
    group by category_values.column_name, category_values.level

),

category_counts as (

    select
        check_name,
        column_name,
        cast(sum(value_rows) as {{ dbt.type_bigint() }}) as rows_affected,
        {{ dbt.listagg(
            dbt.concat(["''''", "level", "''''"]),
            "', '",
            "order by value_rows desc, level",
            3,
        ) }} as example_values
    from category_changes
    group by check_name, column_name

),

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
    {#- the column each exclusion reason is about, as SQL over a column of reasons -#}
    {%- set ns = namespace(reason_column='case {reason}') %}
    {%- for reason, column_name in exclusion_columns[name].items() %}
        {%- set ns.reason_column = ns.reason_column ~ " when '" ~ reason ~ "' then '" ~ column_name ~ "'" %}
    {%- endfor %}
    {%- set reason_column = ns.reason_column ~ ' end' %}
    select
        '{{ name }}' as input_name,
        'duplicate_row' as check_name,
        cast(null as {{ string_type }}) as column_name,
        cast(sum(rows_in - distinct_rows) as {{ dbt.type_bigint() }}) as rows_affected,
        cast(null as {{ string_type }}) as example_values
    from {{ name }}_base

    union all

    -- exclusions of the base model; a value that could not be read gives the examples
    select
        '{{ name }}' as input_name,
        base.exclusion_reason as check_name,
        {{ reason_column | replace('{reason}', 'base.exclusion_reason') }} as column_name,
        base.distinct_rows as rows_affected,
        unreadable.example_values
    from {{ name }}_base as base
    left join {{ name }}_unreadable as unreadable
        on base.exclusion_reason = unreadable.check_name
    where base.exclusion_reason is not null

    union all

    -- values present but unreadable, set to null: one row per checked column
    select
        '{{ name }}' as input_name,
        check_name,
        column_name,
        rows_affected,
        example_values
    from {{ name }}_unreadable
    where check_name like 'unreadable%'

    union all

    {%- if name != 'customers' %}
    -- exclusions of the scoped model (out of the run's scope)
    select
        '{{ name }}' as input_name,
        exclusion_reason as check_name,
        {{ reason_column | replace('{reason}', 'exclusion_reason') }} as column_name,
        kept_rows as rows_affected,
        {%- if scoped_examples.get(name) %}
        case exclusion_reason
            {%- for reason, value in scoped_examples[name].items() %}
            when '{{ reason }}' then {{ customer_segmentation.quoted_value_range(value ~ '_min', value ~ '_max') }}
            {%- endfor %}
        end as example_values
        {%- else %}
        cast(null as {{ string_type }}) as example_values
        {%- endif %}
    from {{ name }}_kept
    where exclusion_reason is not null

    union all

    {%- endif %}
    {%- for check_name, flag, column_name, value in repairs[name] %}
    select
        '{{ name }}' as input_name,
        '{{ check_name }}' as check_name,
        {{ "'" ~ column_name ~ "'" if column_name else 'cast(null as ' ~ string_type ~ ')' }} as column_name,
        cast(coalesce(sum({{ check_name }}_rows), 0) as {{ dbt.type_bigint() }}) as rows_affected,
        {%- if value is not none %}
        {{ customer_segmentation.quoted_value_range(
            'min(' ~ check_name ~ '_min)', 'max(' ~ check_name ~ '_max)'
        ) }} as example_values
        {%- else %}
        cast(null as {{ string_type }}) as example_values
        {%- endif %}
    from {{ name }}_kept
    where exclusion_reason is null

    union all

    {%- endfor %}
    {%- endfor %}
    select
        'customers' as input_name,
        check_name,
        column_name,
        rows_affected,
        example_values
    from category_counts

),

-- the column of each rule that matched nothing (so it has no counts row)
rule_columns as (

    {%- for name in inputs %}
    {%- for reason, column_name in exclusion_columns[name].items() %}
    select '{{ name }}' as input_name, '{{ reason }}' as check_name, '{{ column_name }}' as column_name
    union all
    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ string_type }}) as input_name,
        cast(null as {{ string_type }}) as check_name,
        cast(null as {{ string_type }}) as column_name
    where 1 = 0

),

enabled_rules as (

    select
        rules.*,
        rule_columns.column_name
    from rules
    inner join totals
        on rules.input_name = totals.input_name
    left join rule_columns
        on
            rules.input_name = rule_columns.input_name
            and rules.check_name = rule_columns.check_name

),

checks as (

    select
        coalesce(enabled_rules.input_name, counts.input_name) as input_name,
        coalesce(enabled_rules.check_name, counts.check_name) as check_name,
        coalesce(counts.column_name, enabled_rules.column_name) as column_name,
        enabled_rules.action,
        enabled_rules.description,
        coalesce(counts.rows_affected, 0) as rows_affected,
        counts.example_values
    from enabled_rules
    full outer join counts
        on
            enabled_rules.input_name = counts.input_name
            and enabled_rules.check_name = counts.check_name

),

final as (

    select
        checks.input_name,
        checks.check_name,
        checks.column_name,
        checks.action,
        checks.description,
        totals.rows_in,
        checks.rows_affected,
        totals.rows_out,
        cast(checks.example_values as {{ string_type }}) as example_values
    from checks
    inner join totals
        on checks.input_name = totals.input_name

)

select * from final
