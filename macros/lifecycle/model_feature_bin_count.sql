{#
    The largest bin_number of the drift baseline (ml_segment_feature_bins), read at run
    time: the most bins of non-null values any feature has (the configured bins, fewer
    when tied quantiles merged); 0 while dbt parses or when the baseline is empty.
    feature_drift writes one bin column per feature up to it, so it bins every customer
    within its row instead of joining one row per customer and feature to the bins.
    Arguments: none.
#}
{% macro model_feature_bin_count() %}
    {{ return(adapter.dispatch('model_feature_bin_count', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__model_feature_bin_count() %}
    {%- set count = [0] -%}
    {%- if execute -%}
        {%- set result = run_query(
            'select max(bin_number) from ' ~ ref('ml_segment_feature_bins')
        ) -%}
        {%- if result.rows and result.rows[0][0] is not none -%}
            {%- do count.append(result.rows[0][0] | int) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(count | max) }}
{% endmacro %}
