{#
    SQL for one preprocessed feature value, with the parameters read from columns of
    the preprocessing table: impute, then the signed log when transform = 'log1p',
    then standardize. Matches customer_segmentation.preprocessing exactly.
    Arguments:
        value:  the raw feature expression.
        params: alias of the joined ml_segment_preprocessing row.
#}
{% macro scaled_feature(value, params) %}
    {{ return(adapter.dispatch('scaled_feature', 'customer_segmentation')(value, params)) }}
{% endmacro %}

{% macro default__scaled_feature(value, params) -%}
    (
        case
            when {{ params }}.transform = 'log1p'
                then sign(coalesce({{ value }}, {{ params }}.impute_value))
                    * ln(1 + abs(coalesce({{ value }}, {{ params }}.impute_value)))
            else coalesce({{ value }}, {{ params }}.impute_value)
        end - {{ params }}.mean
    ) / {{ params }}.std_dev
{%- endmacro %}
