{#
    A categorical column's term in the logistic propensity model: the one-hot
    coefficient of the level its code names (the missing value's own, when training had
    one, for a null), 0 for a code the model did not learn, as scikit-learn's
    OneHotEncoder(handle_unknown='ignore') and the coefficients add up.
    Arguments:
        code:   the level code expression.
        levels: the column's level rows of ml_propensity_model (level_code and
                coefficient as text, level_code null for the missing value).
#}
{% macro logistic_level_term(code, levels) %}
    {{ return(adapter.dispatch('logistic_level_term', 'customer_segmentation')(code, levels)) }}
{% endmacro %}

{% macro default__logistic_level_term(code, levels) -%}
    case
        {%- for level in levels %}
        {%- if level.level_code is none %}
        when {{ code }} is null then {{ customer_segmentation.double_literal(level.coefficient) }}
        {%- else %}
        when {{ code }} = {{ customer_segmentation.double_literal(level.level_code) }} then {{ customer_segmentation.double_literal(level.coefficient) }}
        {%- endif %}
        {%- endfor %}
        else 0e0
    end
{%- endmacro %}
