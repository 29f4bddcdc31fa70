{#
    Generic test for the fairness marts: one failing row per row of the model where a
    check's flag is true, named '<attribute>.<metric>' (e.g. age_band.demographic_parity)
    with the group (or feature) and any detail columns. It warns by default, so the
    build passes and the failures are listed in dbt's output, and fails the build when
    var fairness_strict is true. dbt's output gets one line per failure (the figure the
    rule compared, its interval and the threshold, from the mart's reason column) and a
    summary line naming the mart to open.
    Arguments:
        checks:           {metric name: flag}, a flag being a boolean SQL expression over
                          the model's columns or {flag: ..., reason: <text column>}, e.g.
                          {demographic_parity: {flag: is_parity_flagged, reason: parity_flag_reason}}.
        attribute_column: column holding the protected attribute (default attribute_name).
        group_column:     column naming the group, or feature, that failed (default group_name).
        detail_columns:   further columns to show with each failure (e.g. [segment_id]).
        follows_flag_rule: true when the flags follow fairness_flag_settings (the marts'
                          flag_rule), which the summary line then names.
        log_summary:      false: no summary line when nothing failed.
#}
{% test fairness_checks(model, checks, attribute_column='attribute_name', group_column='group_name', detail_columns=[], follows_flag_rule=false, log_summary=true) %}
    {{ config(severity = 'error' if var('fairness_strict', false) else 'warn') }}
    {{ return(adapter.dispatch('test_fairness_checks', 'customer_segmentation')(
        model, checks, attribute_column, group_column, detail_columns, follows_flag_rule, log_summary
    )) }}
{% endtest %}

{% macro default__test_fairness_checks(model, checks, attribute_column, group_column, detail_columns, follows_flag_rule, log_summary) %}
{%- if checks is not mapping or checks | length == 0 -%}
    {{ exceptions.raise_compiler_error(
        "fairness_checks on " ~ model ~ " needs checks: {metric name: flag expression}."
    ) }}
{%- endif -%}
{%- set string_type = dbt.type_string() -%}
{%- set failures_sql -%}
    {%- for metric, check in checks.items() %}
    {%- set flag = check.flag if check is mapping else check %}
    {%- set reason = check.get('reason') if check is mapping else none %}
    select
        {{ dbt.concat([attribute_column, "'." ~ metric ~ "'"]) }} as failed_check,
        cast({{ group_column }} as {{ string_type }}) as failed_for,
        cast({{ reason if reason else 'null' }} as {{ string_type }}) as failure_reason
        {%- for column in detail_columns %},
        {{ column }}
        {%- endfor %}
    from {{ model }}
    where coalesce({{ flag }}, false)
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endset -%}
{#- (only when tests run, not on compile or docs; model is a subquery, not a relation,
    when the test is given a `where` config) -#}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] and model.identifier is defined
    and adapter.get_relation(model.database, model.schema, model.identifier) is not none -%}
    {%- do customer_segmentation._log_fairness_failures(
        run_query(failures_sql ~ ' order by 1, 2'), model.identifier, group_column,
        detail_columns, follows_flag_rule, log_summary
    ) -%}
{%- endif -%}
{{ failures_sql }}
{% endmacro %}

{#- One line per failure in dbt's output (the test result alone only gives a count),
    at most 20, then a summary line: how many per check, the rule, the mart to open. -#}
{% macro _log_fairness_failures(failures, mart, group_column, detail_columns, follows_flag_rule, log_summary) %}
    {%- set prefix = 'Fairness ' ~ ('error' if var('fairness_strict', false) else 'warning') ~ ' in ' ~ mart ~ ': ' -%}
    {%- set shown = 20 -%}
    {%- set counts = {} -%}
    {%- for row in failures.rows -%}
        {%- do counts.update({row[0]: counts.get(row[0], 0) + 1}) -%}
        {%- if loop.index <= shown -%}
            {%- set details = [] -%}
            {%- for column in detail_columns -%}
                {%- set value = row[3 + loop.index0] -%}
                {%- if value is number and value == value | int -%}
                    {%- set value = value | int -%}
                {%- elif value is number -%}
                    {%- set value = value | round(4) -%}
                {%- endif -%}
                {%- do details.append(column ~ ' ' ~ value) -%}
            {%- endfor -%}
            {%- set reason = row[2] or '' -%}
            {%- set reason = reason[9:] if reason.startswith('flagged: ') else reason -%}
            {{ log(
                prefix ~ row[0] ~ " failed for " ~ group_column ~ " '" ~ row[1] ~ "'"
                ~ (' (' ~ details | join(', ') ~ ')' if details else '')
                ~ (': ' ~ reason if reason else ''),
                info=true
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set total = failures.rows | length -%}
    {%- if total > 0 or log_summary -%}
        {%- set by_check = [] -%}
        {%- for check, count in counts.items() -%}
            {%- do by_check.append(check ~ ' ' ~ count) -%}
        {%- endfor -%}
        {{ log(
            (prefix ~ total ~ ' failed (' ~ by_check | join(', ') ~ ')' if total > 0
                else 'Fairness checks on ' ~ mart ~ ': none failed')
            ~ (' under the rule ' ~ customer_segmentation.fairness_flag_settings().text if follows_flag_rule else '')
            ~ ('; ' ~ shown ~ ' shown above' if total > shown else '')
            ~ ('. Open ' ~ mart ~ ' for every figure' ~ (' and its flag reason' if follows_flag_rule else '') ~ '.'
                if total > 0 else '.'),
            info=true
        ) }}
    {%- endif -%}
{% endmacro %}
