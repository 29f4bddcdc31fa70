{#
    SQL for one preprocessed feature value from parameter expressions: impute a null,
    apply the signed log when transform = 'log1p', then standardize. The same order
    and formulas as customer_segmentation.preprocessing (and scaled_feature, which
    reads the parameters from the columns of a joined ml_segment_preprocessing row);
    this form takes each parameter as an expression, for wide (one column per feature)
    scoring.
    Arguments:
        value:        the raw feature expression.
        transform:    expression giving 'none' or 'log1p'.
        impute_value: expression giving the value that replaces a null.
        mean:         expression giving the mean after impute and transform.
        std_dev:      expression giving the population standard deviation.
#}
{% macro standardized_value(value, transform, impute_value, mean, std_dev) %}
    {{ return(adapter.dispatch('standardized_value', 'customer_segmentation')(
        value, transform, impute_value, mean, std_dev
    )) }}
{% endmacro %}

{% macro default__standardized_value(value, transform, impute_value, mean, std_dev) -%}
    (
        case
            when {{ transform }} = 'log1p'
                then sign(coalesce({{ value }}, {{ impute_value }}))
                    * ln(1 + abs(coalesce({{ value }}, {{ impute_value }})))
            else coalesce({{ value }}, {{ impute_value }})
        end - {{ mean }}
    ) / {{ std_dev }}
{%- endmacro %}
