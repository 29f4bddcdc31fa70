{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- Every customer's three reason codes under the registered propensity model, in SQL
    where dbt runs no Python model (var fit_in_python false). The definition is the
    Python model's (customer_segmentation/propensity/registered.py): a group's
    contribution is the served log-odds minus those with the group at its reference
    value, which for the logistic model is exactly each column's term minus its term at
    the reference. The trees' part is computed in Python only (as SQL each tree repeats
    once per group it splits on: docs/benchmarks.md), so a served model with trees stops
    here. -#}
{%- set constants = customer_segmentation.propensity_model_rows('constant', ['served_model', 'logistic_weight'], ['logistic_weight']) -%}
{%- set columns = customer_segmentation.propensity_model_rows('column', [
    'feature_name', 'feature_position', 'feature_group', 'is_categorical', 'log1p', 'impute_value',
    'center', 'scale', 'coefficient', 'reference_value', 'reference_scaled'
], ['impute_value', 'center', 'scale', 'coefficient', 'reference_value', 'reference_scaled']) -%}
{%- set levels = customer_segmentation.propensity_model_rows(
    'level', ['feature_name', 'level_code', 'coefficient'], ['level_code', 'coefficient']
) -%}
{%- set constant = constants[0] if constants else {'served_model': 'logistic_baseline', 'logistic_weight': '1'} -%}
{%- if execute and constant.logistic_weight | float < 1 -%}
    {{ exceptions.raise_compiler_error(
        "ml_propensity_reason_codes: the served propensity model (" ~ constant.served_model
        ~ ") has trees, whose reason codes are computed in Python, and this target runs no "
        ~ "Python model (var fit_in_python false). Serve the logistic model (var "
        ~ "propensity_model: logistic_baseline) in the DuckDB build that exports the fits, "
        ~ "or build where dbt runs Python models."
    ) }}
{%- endif -%}
{%- set weight = customer_segmentation.double_literal(constant.logistic_weight) -%}
{#- group -> its columns' contribution terms, groups in the columns' order -#}
{%- set groups = {} -%}
{%- set group_order = [] -%}
{%- for column in columns -%}
    {%- set value = 'design.' ~ column.feature_name -%}
    {%- if column.is_categorical -%}
        {%- set own = levels | selectattr('feature_name', 'equalto', column.feature_name) | list -%}
        {%- set reference = namespace(term='0e0') -%}
        {%- for level in own -%}
            {%- if (level.level_code is none and column.reference_value is none)
                or (level.level_code is not none and column.reference_value is not none
                    and level.level_code | float == column.reference_value | float) -%}
                {%- set reference.term = customer_segmentation.double_literal(level.coefficient) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set term = '(' ~ customer_segmentation.logistic_level_term(value, own) ~ ' - ' ~ reference.term ~ ')' -%}
    {%- else -%}
        {%- set term = customer_segmentation.double_literal(column.coefficient) ~ ' * ('
            ~ customer_segmentation.logistic_scaled_value(value, column) ~ ' - '
            ~ customer_segmentation.double_literal(column.reference_scaled) ~ ')' -%}
    {%- endif -%}
    {%- if column.feature_group not in groups -%}
        {%- do groups.update({column.feature_group: []}) -%}
        {%- do group_order.append(column.feature_group) -%}
    {%- endif -%}
    {%- do groups[column.feature_group].append(term) -%}
{%- endfor %}

with design as (

    select * from {{ ref('int_propensity_design') }}

),

contributions as (

    {%- for group in group_order %}
    select
        design.customer_id,
        {{ loop.index }} as group_position,
        '{{ group }}' as feature_group,
        {{ weight }} * ({{ groups[group] | join(' + ') }}) as contribution
    from design
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not group_order %}
    select
        customer_id,
        0 as group_position,
        cast(null as {{ dbt.type_string() }}) as feature_group,
        cast(null as {{ customer_segmentation.type_double() }}) as contribution
    from design
    where 1 = 0
    {%- endif %}

),

ranked as (

    -- the positive contributions, largest first, the group listed first among equals
    select
        customer_id,
        feature_group,
        contribution,
        row_number() over (
            partition by customer_id order by contribution desc, group_position asc
        ) as reason_rank
    from contributions
    where contribution > 1e-12

)

select
    design.customer_id,
    {%- for rank in range(1, 4) %}
    max(case when ranked.reason_rank = {{ rank }} then ranked.feature_group end) as reason_{{ rank }}_feature,
    max(case when ranked.reason_rank = {{ rank }} then ranked.contribution end) as reason_{{ rank }}_contribution{{ ',' if not loop.last }}
    {%- endfor %}
from design
left join ranked
    on design.customer_id = ranked.customer_id
group by design.customer_id
