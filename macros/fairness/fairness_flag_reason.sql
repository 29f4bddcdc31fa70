{#
    Text SQL saying what a fairness flag compared and what it found, for the mart's
    *_flag_reason columns and the warnings: 'flagged: difference_to_population -0.0612,
    99.9% interval -0.0934 to -0.029, threshold +-0.05' (or 'not flagged: ...');
    'not tested: <figure> has no interval' when a figure is missing.
    Arguments:
        flag:      SQL boolean, the flag (fairness_flag).
        figure:    the compared figure's name, e.g. 'difference_to_population'.
        estimate:  SQL expression, its value.
        lower:     SQL expression, its interval's lower bound (none: an upper bound only).
        upper:     SQL expression, its interval's upper bound (none: a lower bound only).
        level:     SQL expression, the interval's confidence level (0 to 1).
        threshold: text naming the threshold, e.g. '+-0.05' or 'below 0.8'.
#}
{% macro fairness_flag_reason(flag, figure, estimate, lower, upper, level, threshold) %}
    {{ return(adapter.dispatch('fairness_flag_reason', 'customer_segmentation')(
        flag, figure, estimate, lower, upper, level, threshold
    )) }}
{% endmacro %}

{% macro default__fairness_flag_reason(flag, figure, estimate, lower, upper, level, threshold) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set parts = [
        "case when " ~ flag ~ " then 'flagged: ' else 'not flagged: ' end",
        "'" ~ figure ~ " '",
        customer_segmentation._rounded_text(estimate, 4),
        "', '",
        customer_segmentation._rounded_text('100 * (' ~ level ~ ')', 3),
    ] -%}
    {%- if lower is none -%}
        {%- do parts.extend(["'% upper bound '", customer_segmentation._rounded_text(upper, 4)]) -%}
    {%- elif upper is none -%}
        {%- do parts.extend(["'% lower bound '", customer_segmentation._rounded_text(lower, 4)]) -%}
    {%- else -%}
        {%- do parts.extend([
            "'% interval '", customer_segmentation._rounded_text(lower, 4),
            "' to '", customer_segmentation._rounded_text(upper, 4),
        ]) -%}
    {%- endif -%}
    {%- do parts.append("', threshold " ~ threshold ~ "'") -%}
    case
        when ({{ estimate }}) is null
            {%- if upper is not none %} or ({{ upper }}) is null{% endif %}
            {%- if lower is not none %} or ({{ lower }}) is null{% endif %}
            then cast('not tested: {{ figure }} has no interval' as {{ string_type }})
        else {{ dbt.concat(parts) }}
    end
{%- endmacro %}

{#- A number as text, rounded to `digits` decimals, through a decimal so that every
    engine writes it alike (Spark writes a small double as 8.0E-4, DuckDB as 0.0008). -#}
{% macro _rounded_text(expression, digits) -%}
    cast(cast(round(cast({{ expression }} as {{ customer_segmentation.type_double() }}), {{ digits }}) as decimal(38, {{ digits }})) as {{ dbt.type_string() }})
{%- endmacro %}
