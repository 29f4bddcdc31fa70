{#
    The boolean SQL of a fairness flag under var fairness_flag_rule
    (fairness_flag_settings): is the difference beyond the band [below, above] that
    counts as fair, with the data's support? interval_beyond_threshold: its whole
    interval lies beyond (upper < below or lower > above); significant_beyond_threshold:
    the estimate is beyond and its interval excludes no_difference. False, never null,
    when a figure is missing.
    Arguments:
        estimate, lower, upper: SQL expressions, the figure and its interval (lower
                                may be none for a flag that only looks below).
        below, above:           the band's ends as numbers (either none: no end there).
        no_difference:          the figure's value when the groups do not differ (0
                                for a difference, 1 for a ratio).
#}
{% macro fairness_flag(estimate, lower, upper, below=none, above=none, no_difference=0) %}
    {{ return(adapter.dispatch('fairness_flag', 'customer_segmentation')(
        estimate, lower, upper, below, above, no_difference
    )) }}
{% endmacro %}

{% macro default__fairness_flag(estimate, lower, upper, below, above, no_difference) -%}
    {%- if below is none and above is none -%}
        {{ exceptions.raise_compiler_error("fairness_flag needs below, above or both.") }}
    {%- endif -%}
    {%- set rule = customer_segmentation.fairness_flag_settings().rule -%}
    {%- set sides = [] -%}
    {%- if below is not none -%}
        {%- if rule == 'interval_beyond_threshold' -%}
            {%- do sides.append('(' ~ upper ~ ') < ' ~ below) -%}
        {%- else -%}
            {%- do sides.append('(' ~ estimate ~ ') < ' ~ below ~ ' and (' ~ upper ~ ') < ' ~ no_difference) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if above is not none -%}
        {%- if rule == 'interval_beyond_threshold' -%}
            {%- do sides.append('(' ~ lower ~ ') > ' ~ above) -%}
        {%- else -%}
            {%- do sides.append('(' ~ estimate ~ ') > ' ~ above ~ ' and (' ~ lower ~ ') > ' ~ no_difference) -%}
        {%- endif -%}
    {%- endif -%}
    coalesce(({{ sides | join(') or (') }}), false)
{%- endmacro %}
