{#
    Ids of the segmentation model's segments: the distinct segment_id values of
    ml_segment_centroids, ascending, read at run time (an empty list while dbt parses).
    Scoring writes one distance column per segment from this list, so it picks the
    nearest and second-nearest segment within each customer's row instead of ranking
    one row per customer and segment. Ids need not be 1..k (refits keep matched ids).
    Arguments: none.
#}
{% macro model_segment_ids() %}
    {{ return(adapter.dispatch('model_segment_ids', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__model_segment_ids() %}
    {%- set ids = [] -%}
    {%- if execute -%}
        {%- set segments = run_query(
            'select distinct segment_id from ' ~ ref('ml_segment_centroids')
            ~ ' order by segment_id'
        ) -%}
        {%- for row in segments.rows -%}
            {%- do ids.append(row[0] | int) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(ids) }}
{% endmacro %}
