{#
    Names of the features the segmentation model uses: the kept (not dropped) rows of
    ml_segment_preprocessing, in feature_position order, read at run time (an empty
    list while dbt parses). Scoring and the proxy check both iterate over these.
    Arguments: none.
#}
{% macro model_features() %}
    {{ return(adapter.dispatch('model_features', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__model_features() %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set kept = run_query(
            'select feature_name from ' ~ ref('ml_segment_preprocessing')
            ~ ' where not is_dropped order by feature_position'
        ) -%}
        {%- for row in kept.rows -%}
            {%- do names.append(row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
