-- generate_schema_name over literal schema configs, and the schema of every model of
-- the project: the marts and published_marts in schema marts, exactly that name,
-- every other model in the target's. Returns each wrong schema.
{% set cases = [
    ('literal: none', none, target.schema),
    ('literal: marts', 'marts', 'marts'),
    ('literal: padded', '  reporting ', 'reporting'),
] %}
{% if execute %}
    {% for node in graph.nodes.values() | sort(attribute='name') %}
        {% if node.resource_type == 'model' and node.package_name == project_name %}
            {% set public = node.fqn[1] == 'marts' or node.name == 'published_marts' %}
            {% do cases.append((
                'model: ' ~ node.name, node.schema,
                'marts' if public else target.schema,
            )) %}
        {% endif %}
    {% endfor %}
{% endif %}

with schemas as (

    {%- for case, given, expected in cases %}
    select
        '{{ case }}' as case_name,
        '{{ expected }}' as expected_schema,
        {%- if case.startswith('literal') %}
        '{{ customer_segmentation.generate_schema_name(given, none) }}' as actual_schema
        {%- else %}
        '{{ given }}' as actual_schema
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select *
from schemas
where actual_schema != expected_schema
