{#
    Stops mart_inventory (and so the publication) when the run's selection leaves out
    any of the marts it lists: a publication holds marts of one build only, never a mix
    of this run's marts and older ones.
    Arguments:
        marts: the mart names mart_inventory lists.
#}
{% macro assert_marts_selected(marts) %}
    {{ return(adapter.dispatch('assert_marts_selected', 'customer_segmentation')(marts)) }}
{% endmacro %}

{% macro default__assert_marts_selected(marts) %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set left_out = [] %}
    {% for mart in marts | sort %}
        {% if 'model.' ~ project_name ~ '.' ~ mart not in selected_resources %}
            {% do left_out.append(mart) %}
        {% endif %}
    {% endfor %}
    {% if left_out %}
        {{ exceptions.raise_compiler_error(
            "Nothing was published: this run's selection leaves out the mart(s) "
            ~ left_out | join(', ') ~ ", and a publication holds the marts of one complete "
            ~ "build. Build the whole project (`dbt build`), or leave the publication out "
            ~ "of a partial build with `--exclude mart_inventory+`."
        ) }}
    {% endif %}
    {{ return('') }}
{% endmacro %}
