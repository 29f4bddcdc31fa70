{#
    The rule every fairness flag follows, from vars (dbt_project.yml "Fairness"),
    validated up front: {'rule', 'confidence_level', 'correction', 'text'}.
    rule:             significant_beyond_threshold (default: the difference is beyond
                      the threshold and its interval excludes no difference) or
                      interval_beyond_threshold (its whole interval lies beyond it).
    confidence_level: the family-wise level of the intervals (var fairness_confidence_level).
    correction:       bonferroni (each of an attribute's m comparisons in a mart at
                      1 - (1 - level) / m) or none.
    text:             the rule in a few words, written in the marts' flag_rule.
#}
{% macro fairness_flag_settings() %}
    {{ return(adapter.dispatch('fairness_flag_settings', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__fairness_flag_settings() %}
    {%- set rules = ['interval_beyond_threshold', 'significant_beyond_threshold'] -%}
    {%- set corrections = ['bonferroni', 'none'] -%}
    {%- set rule = var('fairness_flag_rule', 'significant_beyond_threshold') -%}
    {%- set correction = var('fairness_multiple_comparisons', 'bonferroni') -%}
    {%- if rule not in rules -%}
        {{ exceptions.raise_compiler_error(
            "var fairness_flag_rule is " ~ customer_segmentation._shown(rule) ~ ": expected one of "
            ~ rules | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- if correction not in corrections -%}
        {{ exceptions.raise_compiler_error(
            "var fairness_multiple_comparisons is " ~ customer_segmentation._shown(correction)
            ~ ": expected one of " ~ corrections | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- set level = customer_segmentation.validated_number(
        var('fairness_confidence_level', 0.95), 'var fairness_confidence_level', 0.5, 1
    ) -%}
    {%- if level >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "var fairness_confidence_level is " ~ level ~ ": expected a level below 1, e.g. 0.95."
        ) }}
    {%- endif -%}
    {{ return({
        'rule': rule,
        'confidence_level': level,
        'correction': correction,
        'text': rule ~ ' (' ~ ((level * 100) | round(2) | string).rstrip('0').rstrip('.') ~ '% family-wise, '
            ~ ('bonferroni over the attribute' if correction == 'bonferroni' else 'no correction') ~ ')',
    }) }}
{% endmacro %}
