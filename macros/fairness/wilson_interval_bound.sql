{#
    One bound of the Wilson score interval for a proportion successes / trials:
    center +- half-width with center = (s + z^2 / 2) / (n + z^2) and
    half-width = z * sqrt(n) / (n + z^2) * sqrt(p * (1 - p) + z^2 / (4 n)).
    Unlike the normal approximation it stays inside [0, 1] and is sensible for
    small groups and shares near 0 or 1 (exactly 0 / 1 at no / all successes).
    Null when trials is zero or null.
    Arguments:
        successes: SQL expression, the count of successes (e.g. group members in a segment).
        trials:    SQL expression, the count of trials (e.g. group members).
        bound:     'lower' or 'upper'.
        z:         normal quantile, a number or a SQL expression (a column of
                   normal_quantile); the default gives a 95% interval.
#}
{% macro wilson_interval_bound(successes, trials, bound, z=1.959963984540054) %}
    {{ return(adapter.dispatch('wilson_interval_bound', 'customer_segmentation')(successes, trials, bound, z)) }}
{% endmacro %}

{% macro default__wilson_interval_bound(successes, trials, bound, z=1.959963984540054) -%}
    {%- if bound not in ['lower', 'upper'] -%}
        {{ exceptions.raise_compiler_error(
            "wilson_interval_bound: bound must be 'lower' or 'upper', got '" ~ bound ~ "'."
        ) }}
    {%- endif -%}
    {%- set float_type = customer_segmentation.type_double() -%}
    {%- set n = 'cast(' ~ trials ~ ' as ' ~ float_type ~ ')' -%}
    {%- set s = 'cast(' ~ successes ~ ' as ' ~ float_type ~ ')' -%}
    {#- a number folds into constants; a SQL expression stays an expression -#}
    {%- if z is number -%}
        {%- set z_squared = z * z -%}
        {%- set half_z_squared = z_squared / 2 -%}
        {%- set quarter_z_squared = z_squared / 4 -%}
    {%- else -%}
        {%- set z = '(' ~ z ~ ')' -%}
        {%- set z_squared = '(' ~ z ~ ' * ' ~ z ~ ')' -%}
        {%- set half_z_squared = z_squared ~ ' / 2' -%}
        {%- set quarter_z_squared = z_squared ~ ' / 4' -%}
    {%- endif -%}
    case
        when {{ trials }} is null or {{ trials }} <= 0 then null
        {%- if bound == 'lower' %}
        when {{ successes }} = 0 then 0.0
        {%- else %}
        when {{ successes }} = {{ trials }} then 1.0
        {%- endif %}
        else
            ({{ s }} + {{ half_z_squared }}) / ({{ n }} + {{ z_squared }})
            {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ n }}) / ({{ n }} + {{ z_squared }})
            * sqrt(
                ({{ s }} / {{ n }}) * (1 - {{ s }} / {{ n }}) + {{ quarter_z_squared }} / {{ n }}
            )
    end
{%- endmacro %}
