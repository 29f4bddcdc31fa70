{#
    SQL for the confidence level of one comparison of a family of `comparisons`
    (fairness_flag_settings): 1 - (1 - level) / comparisons under bonferroni, the
    level itself under none. Null when there is nothing to compare.
    Arguments:
        comparisons: SQL expression, how many comparisons the family makes.
#}
{% macro fairness_comparison_level(comparisons) %}
    {{ return(adapter.dispatch('fairness_comparison_level', 'customer_segmentation')(comparisons)) }}
{% endmacro %}

{% macro default__fairness_comparison_level(comparisons) -%}
    {%- set settings = customer_segmentation.fairness_flag_settings() -%}
    {%- set alpha = 1 - settings.confidence_level -%}
    case
        when {{ comparisons }} is null or {{ comparisons }} < 1 then null
        {%- if settings.correction == 'bonferroni' %}
        else 1 - {{ alpha }} / cast({{ comparisons }} as {{ customer_segmentation.type_double() }})
        {%- else %}
        else cast({{ settings.confidence_level }} as {{ customer_segmentation.type_double() }})
        {%- endif %}
    end
{%- endmacro %}
