{#
    The standard normal quantile (inverse CDF) of a probability in (0, 1), e.g. 1.96
    at 0.975: the z of a confidence interval whose level is only known at run time
    (a Bonferroni level depends on how many groups the data hold). Acklam's rational
    approximation (relative error below 1.2e-9), plain arithmetic, sqrt and ln, so it
    runs on any warehouse. Null outside (0, 1).
    Arguments:
        probability: SQL expression, a probability.
#}
{% macro normal_quantile(probability) %}
    {{ return(adapter.dispatch('normal_quantile', 'customer_segmentation')(probability)) }}
{% endmacro %}

{% macro default__normal_quantile(probability) -%}
    {%- set a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239] -%}
    {%- set b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] -%}
    {%- set c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] -%}
    {%- set d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] -%}
    {%- set p = '(' ~ probability ~ ')' -%}
    {%- set low_q = 'sqrt(-2 * ln(' ~ p ~ '))' -%}
    {%- set high_q = 'sqrt(-2 * ln(1 - ' ~ p ~ '))' -%}
    {%- set r = '((' ~ p ~ ' - 0.5) * (' ~ p ~ ' - 0.5))' -%}
    case
        when {{ p }} is null or {{ p }} <= 0 or {{ p }} >= 1 then null
        when {{ p }} < 0.02425
            then ({{ customer_segmentation._horner(c, low_q) }}) / ({{ customer_segmentation._horner(d, low_q, true) }})
        when {{ p }} > 0.97575
            then -({{ customer_segmentation._horner(c, high_q) }}) / ({{ customer_segmentation._horner(d, high_q, true) }})
        else ({{ customer_segmentation._horner(a, r) }}) * ({{ p }} - 0.5) / ({{ customer_segmentation._horner(b, r, true) }})
    end
{%- endmacro %}

{#- A polynomial by Horner's rule, ((c0 x + c1) x + ...) + cn, with a final "* x + 1"
    when constant_one (the denominators of the approximation). -#}
{% macro _horner(coefficients, x, constant_one=false) -%}
    {%- set polynomial = namespace(sql=coefficients[0] | string) -%}
    {%- for coefficient in coefficients[1:] -%}
        {%- set polynomial.sql = '(' ~ polynomial.sql ~ ') * ' ~ x ~ ' + ' ~ coefficient -%}
    {%- endfor -%}
    {%- if constant_one -%}
        ({{ polynomial.sql }}) * {{ x }} + 1
    {%- else -%}
        {{ polynomial.sql }}
    {%- endif -%}
{%- endmacro %}
