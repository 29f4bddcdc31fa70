{#
    After a run: for every node that DuckDB stopped with its "Out of Memory Error", a
    warning naming the node, the memory cap in force and the setting to raise. DuckDB's
    own message suggests SET commands, which a dbt user cannot run inside the build; the
    cap comes from the profile (SEGMENTATION_DUCKDB_MEMORY_LIMIT, default 2GB), and at
    hundreds of millions of transaction lines 2GB is too little even with spilling
    (docs/benchmarks.md). Runs as the project's on-run-end hook.
    Arguments:
        results: the run's results (dbt's on-run-end `results`).
#}
{% macro out_of_memory_hint(results) %}
    {{ return(adapter.dispatch('out_of_memory_hint', 'customer_segmentation')(results)) }}
{% endmacro %}

{% macro default__out_of_memory_hint(results) %}
    {#- other warehouses size their memory themselves: nothing to suggest -#}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__out_of_memory_hint(results) %}
    {% if not execute %}
        {{ return('') }}
    {% endif %}
    {% set failed = [] %}
    {% for result in results %}
        {% if result.status == 'error' and 'Out of Memory Error' in (result.message or '') %}
            {% do failed.append(result.node.name) %}
        {% endif %}
    {% endfor %}
    {% if failed %}
        {% set cap = run_query("select current_setting('memory_limit')").columns[0].values()[0] %}
        {% do exceptions.warn(
            failed | join(', ') ~ " ran out of DuckDB memory (memory_limit " ~ cap ~ "). "
            ~ "Raise the cap with the environment variable SEGMENTATION_DUCKDB_MEMORY_LIMIT "
            ~ "(e.g. SEGMENTATION_DUCKDB_MEMORY_LIMIT=8GB, enough for 200 million transaction "
            ~ "lines), or run one model at a time with SEGMENTATION_THREADS=1."
        ) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
