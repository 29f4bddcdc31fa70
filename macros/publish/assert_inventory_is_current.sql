{#
    Pre-hook of published_marts: stops the publication, saying what to run, unless
    mart_inventory was built by this run, so that every mart it lists was built and
    tested in it (`dbt run --select published_marts` alone would otherwise publish
    whatever the workspace holds).
    Arguments:
        inventory: the mart_inventory relation.
#}
{% macro assert_inventory_is_current(inventory) %}
    {{ return(adapter.dispatch('assert_inventory_is_current', 'customer_segmentation')(inventory)) }}
{% endmacro %}

{% macro default__assert_inventory_is_current(inventory) %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set runs = run_query("select distinct run_id from " ~ inventory).columns[0].values() | list %}
    {% if runs != [invocation_id] %}
        {{ exceptions.raise_compiler_error(
            "Nothing was published: published_marts publishes only marts built and tested "
            ~ "by the same run, and mart_inventory was built by another one ("
            ~ runs | join(', ') ~ "). Build the whole project with `dbt build` (or "
            ~ "`dbt build --select +published_marts`)."
        ) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}
