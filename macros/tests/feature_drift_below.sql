{#
    Generic test for feature_drift: one failing row per feature whose population
    stability index reaches max_psi, and one dbt log line naming those features with
    their PSI and mean shift. It warns by default, so the build passes, and fails the
    build when var drift_strict is true.
    Arguments:
        max_psi:        the PSI a feature must stay below (default var
                        drift_psi_significant, 0.25).
        feature_column: column naming the feature (default feature_name).
        psi_column:     column holding the PSI (default psi).
#}
{% test feature_drift_below(model, max_psi=none, feature_column='feature_name', psi_column='psi') %}
    {{ config(severity = 'error' if var('drift_strict', false) else 'warn') }}
    {{ return(adapter.dispatch('test_feature_drift_below', 'customer_segmentation')(
        model, max_psi, feature_column, psi_column
    )) }}
{% endtest %}

{% macro default__test_feature_drift_below(model, max_psi, feature_column, psi_column) %}
{%- set limit = customer_segmentation.validated_number(
    max_psi if max_psi is not none else var('drift_psi_significant', 0.25),
    'var drift_psi_significant (or the max_psi of feature_drift_below)', 0
) -%}
{%- set failures_sql -%}
    select
        {{ feature_column }} as drifting_feature,
        {{ psi_column }} as psi
    from {{ model }}
    where {{ psi_column }} >= {{ limit }}
{%- endset -%}
{#- Name the drifting features in dbt's output (the test result alone gives a count),
    only when tests run and the model exists (not on compile or docs). -#}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] and model.identifier is defined
    and adapter.get_relation(model.database, model.schema, model.identifier) is not none -%}
    {%- set failures = run_query(failures_sql ~ ' order by 2 desc, 1') -%}
    {%- if failures.rows | length > 0 -%}
        {%- set texts = [] -%}
        {%- for row in failures.rows -%}
            {%- do texts.append("'" ~ row[0] ~ "' (PSI " ~ (row[1] | round(4)) ~ ")") -%}
        {%- endfor -%}
        {{ log(
            "Feature drift " ~ ('error' if var('drift_strict', false) else 'warning') ~ " in "
            ~ model.identifier ~ ": population stability index at or above " ~ limit
            ~ " for " ~ texts | join(', ')
            ~ ". The customers scored now differ from the model's training data: check the"
            ~ " input, or fit a new version: " ~ customer_segmentation.retrain_hint() ~ ".",
            info=true
        ) }}
    {%- endif -%}
{%- endif -%}
{{ failures_sql }}
{% endmacro %}
