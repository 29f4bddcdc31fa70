{#
    Stops the build when an enabled model under models/marts is missing from a list of
    marts (mart_inventory's), naming the marts to add. Checked at execution, when dbt's
    graph is complete.
    Arguments:
        marts: the mart names listed.
        exclude: model names that are not part of the list (e.g. the listing model itself).
#}
{% macro assert_marts_listed(marts, exclude=[]) %}
    {{ return(adapter.dispatch('assert_marts_listed', 'customer_segmentation')(marts, exclude)) }}
{% endmacro %}

{% macro default__assert_marts_listed(marts, exclude) %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set missing = [] %}
    {% for node in graph.nodes.values() | sort(attribute='name') %}
        {% if node.resource_type == 'model' and node.package_name == project_name
            and node.fqn[1] == 'marts' and node.config.enabled
            and node.name not in marts and node.name not in exclude %}
            {% do missing.append(node.name) %}
        {% endif %}
    {% endfor %}
    {% if missing %}
        {{ exceptions.raise_compiler_error(
            "mart_inventory does not list the mart(s) " ~ missing | join(', ')
            ~ ", so they would never be published: add them to the list in "
            ~ "models/marts/audit/mart_inventory.sql."
        ) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}
