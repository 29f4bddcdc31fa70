{#
    A portable unpivot of protected attributes: one row per customer and attribute
    set (see fairness_attribute_sets) with the customer's group, built with
    union all so it runs on any warehouse. Zero attribute sets give zero rows with
    the same columns.
    Arguments:
        relation:     a relation with customer_id and the protected attribute columns
                      (int_customer_attributes, where a missing value is 'unknown').
        attribute_sets: the list from fairness_attribute_sets().
#}
{% macro protected_groups(relation, attribute_sets) %}
    {{ return(adapter.dispatch('protected_groups', 'customer_segmentation')(relation, attribute_sets)) }}
{% endmacro %}

{% macro default__protected_groups(relation, attribute_sets) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- for attribute_set in attribute_sets %}
    select
        customer_id,
        cast('{{ attribute_set.name }}' as {{ string_type }}) as attribute_name,
        {%- if attribute_set.columns | length == 1 %}
        cast({{ attribute_set.columns[0] }} as {{ string_type }}) as group_name,
        {%- else %}
        {%- set parts = [] -%}
        {%- for column in attribute_set.columns -%}
            {%- do parts.append('cast(' ~ column ~ ' as ' ~ string_type ~ ')') -%}
            {%- if not loop.last -%}{%- do parts.append("' / '") -%}{%- endif -%}
        {%- endfor %}
        {{ dbt.concat(parts) }} as group_name,
        {%- endif %}
        {{ 'true' if attribute_set.columns | length > 1 else 'false' }} as is_intersection
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        customer_id,
        cast(null as {{ string_type }}) as attribute_name,
        cast(null as {{ string_type }}) as group_name,
        false as is_intersection
    from {{ relation }}
    where 1 = 0
    {%- endfor %}
{%- endmacro %}
