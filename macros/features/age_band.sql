{#
    Age group label for an age in years, from ascending cut points: with edges
    [25, 35] the bands are 'under 25', '25-34' and '35+'; a null age is 'unknown'.
    Arguments:
        age_expression: SQL expression giving whole years.
        edges:          ascending integer cut points (default var age_band_edges).
#}
{% macro age_band(age_expression, edges=none) %}
    {{ return(adapter.dispatch('age_band', 'customer_segmentation')(age_expression, edges)) }}
{% endmacro %}

{% macro default__age_band(age_expression, edges=none) -%}
    {%- set edges = edges if edges is not none else var('age_band_edges') -%}
    {%- for edge in edges if edges is iterable and edges is not string -%}
        {%- do customer_segmentation.validated_number(edge, 'var age_band_edges: each cut point', 0, 150, whole=true) -%}
    {%- endfor -%}
    {%- if edges is string or edges is not iterable or edges | length == 0 or edges | sort != edges
        or edges | unique | list | length != edges | length -%}
        {{ exceptions.raise_compiler_error(
            "var age_band_edges must be a non-empty list of ascending, distinct whole years, got "
            ~ edges ~ "."
        ) }}
    {%- endif -%}
    case
        when {{ age_expression }} is null then 'unknown'
        when {{ age_expression }} < {{ edges[0] }} then 'under {{ edges[0] }}'
        {%- for edge in edges[1:] %}
        when {{ age_expression }} < {{ edge }} then '{{ edges[loop.index0] }}-{{ edge - 1 }}'
        {%- endfor %}
        else '{{ edges[-1] }}+'
    end
{%- endmacro %}
