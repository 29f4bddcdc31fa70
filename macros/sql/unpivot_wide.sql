{#
    A portable unpivot of a one-pass wide aggregate: one row per item of `items` for each
    row of `relation`, reading `relation` once (a cross join with the item list and a
    case per column), where a union of one select per item would make Spark, which
    inlines the CTE into every branch, compute the aggregate once per item.
    Arguments:
        relation: the wide CTE or relation.
        items:    the item names (e.g. features), in output order.
        columns:  the output columns in order, as [name, expression] pairs; in an
                  expression {item} is the item's name and {index} its 1-based position
                  (e.g. ['scored_mean', '{item}__mean']); one without either is the same
                  for every item. The item's name itself is "'{item}'".
#}
{% macro unpivot_wide(relation, items, columns) -%}
    {%- set rows = [] -%}
    {%- for item in items -%}
        {%- do rows.append('select ' ~ loop.index ~ ' as item_index') -%}
    {%- endfor -%}
    select
        {%- for name, expression in columns %}
        {%- if '{item}' in expression or '{index}' in expression %}
        case unpivot_items.item_index
            {%- for item in items %}
            when {{ loop.index }} then {{ expression | replace('{item}', item) | replace('{index}', loop.index | string) }}
            {%- endfor %}
        end as {{ name }}
        {%- else %}
        {{ expression }} as {{ name }}
        {%- endif %}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    cross join (
        {{ rows | join('\n        union all\n        ') }}
    ) as unpivot_items
{%- endmacro %}
