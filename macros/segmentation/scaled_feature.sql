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
    {{ customer_segmentation.standardized_value(
        value,
        params ~ '.transform',
        params ~ '.impute_value',
        params ~ '.mean',
        params ~ '.std_dev',
    ) }}
{%- endmacro %}
