{#
    Generic test for the fairness marts: one failing row per row of the model where a
    check's flag is true, named '<attribute>.<metric>' (e.g. age_band.demographic_parity)
    with the group (or feature) and any detail columns. It warns by default, so the
    build passes and the failures are listed in dbt's output, and fails the build when
    var fairness_strict is true.
    Arguments:
        checks:           {metric name: boolean SQL expression over the model's columns},
                          e.g. {demographic_parity: is_parity_flagged}.
        attribute_column: column holding the protected attribute (default attribute_name).
        group_column:     column naming the group, or feature, that failed (default group_name).
        detail_columns:   further columns to show with each failure (e.g. [segment_id]).
        row_filter:       optional SQL filter: the rows the checks apply to.
#}
{% test fairness_checks(model, checks, attribute_column='attribute_name', group_column='group_name', detail_columns=[], row_filter=none) %}
    {{ config(severity = 'error' if var('fairness_strict', false) else 'warn') }}
    {{ return(adapter.dispatch('test_fairness_checks', 'customer_segmentation')(
        model, checks, attribute_column, group_column, detail_columns, row_filter
    )) }}
{% endtest %}

{% macro default__test_fairness_checks(model, checks, attribute_column, group_column, detail_columns, row_filter) %}
{%- if checks is not mapping or checks | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "fairness_checks on " ~ model ~ " needs checks: {metric name: flag expression}."
    ) }}
{%- endif -%}
{%- set string_type = dbt.type_string() -%}
{%- set failures_sql -%}
    {%- for metric, expression in checks.items() %}
    select
        {{ dbt.concat([attribute_column, "'." ~ metric ~ "'"]) }} as failed_check,
        cast({{ group_column }} as {{ string_type }}) as failed_for
        {%- for column in detail_columns %},
        {{ column }}
        {%- endfor %}
    from {{ model }}
    where coalesce({{ expression }}, false)
    {%- if row_filter %}
        and ({{ row_filter }})
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endset -%}
{#- Name every failure in dbt's output (the test result alone only gives a count):
    one line per '<attribute>.<metric>' with its row count and first five rows. -#}
{#- (only when tests run, not on compile or docs; model is a subquery, not a relation,
    when the test is given a `where` config) -#}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] and model.identifier is defined
    and adapter.get_relation(model.database, model.schema, model.identifier) is not none -%}
    {%- set failures = run_query(failures_sql ~ ' order by 1, 2') -%}
    {%- set level = 'error' if var('fairness_strict', false) else 'warning' -%}
    {%- set by_check = {} -%}
    {%- for row in failures.rows -%}
        {%- set details = [] -%}
        {%- for column in detail_columns -%}
            {%- set value = row[2 + loop.index0] -%}
            {%- if value is number and value == value | int -%}
                {%- set value = value | int -%}
            {%- elif value is number -%}
                {%- set value = value | round(4) -%}
            {%- endif -%}
            {%- do details.append(column ~ ' ' ~ value) -%}
        {%- endfor -%}
        {%- set text = group_column ~ " '" ~ row[1] ~ "'" ~ (' (' ~ details | join(', ') ~ ')' if details else '') -%}
        {%- do by_check.setdefault(row[0], []).append(text) -%}
    {%- endfor -%}
    {%- for check, texts in by_check.items() -%}
        {{ log(
            "Fairness " ~ level ~ " in " ~ model.identifier ~ ": " ~ check ~ " failed for "
            ~ texts | length ~ " row(s): " ~ texts[:5] | join('; ')
            ~ ('; and ' ~ (texts | length - 5) ~ ' more' if texts | length > 5 else ''),
            info=true
        ) }}
    {%- endfor -%}
{%- endif -%}
{{ failures_sql }}
{% endmacro %}
