{#
    Names of the feature columns of int_customer_features (every column but
    customer_id), in table order, read from the built relation at run time (an empty
    list while dbt parses). Profiles use every feature, including ones the model drops
    or leaves out; scoring uses the kept features of ml_segment_preprocessing.
    Arguments: none.
#}
{% macro feature_columns() %}
    {{ return(adapter.dispatch('feature_columns', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__feature_columns() %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(ref('int_customer_features')) -%}
            {%- if column.name | lower != 'customer_id' -%}
                {%- do names.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
