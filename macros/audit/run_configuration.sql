{#
    The configuration a build ran with, as a dict for the run manifest:
    {'vars': {name: value} for the given var names, 'model_meta': {node: config.meta}
    for every model and seed of this project with a meta (minus the excluded ones),
    'random_seeds': {'<node>.<path>.<key>': value} for every meta key named
    random_state or seed, or ending in _seed}. Model meta is read from the graph, so it
    is complete at execution time only (empty while parsing).
    Arguments:
        var_names:     the vars that make up the configuration.
        exclude_nodes: node names whose meta is left out (e.g. the manifest itself).
#}
{% macro run_configuration(var_names, exclude_nodes=[]) %}
    {{ return(adapter.dispatch('run_configuration', 'customer_segmentation')(var_names, exclude_nodes)) }}
{% endmacro %}

{% macro default__run_configuration(var_names, exclude_nodes=[]) %}
    {%- set values = {} -%}
    {%- for name in var_names -%}
        {%- do values.update({name: var(name, none)}) -%}
    {%- endfor -%}
    {%- set model_meta = {} -%}
    {%- set seeds = {} -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- set meta = node.config.get('meta') or {} -%}
            {%- if node.resource_type in ['model', 'seed'] and node.package_name == project_name
                and node.name not in exclude_nodes and meta -%}
                {%- do model_meta.update({node.name: meta}) -%}
                {%- do customer_segmentation._collect_random_seeds(meta, node.name, seeds) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return({'vars': values, 'model_meta': model_meta, 'random_seeds': seeds}) }}
{% endmacro %}

{#- Adds every random_state / seed / *_seed key under value to found, by dotted path. -#}
{% macro _collect_random_seeds(value, path, found) %}
    {%- if value is mapping -%}
        {%- for key, item in value.items() -%}
            {%- if key in ['random_state', 'seed'] or (key is string and key.endswith('_seed')) -%}
                {%- do found.update({path ~ '.' ~ key: item}) -%}
            {%- else -%}
                {%- do customer_segmentation._collect_random_seeds(item, path ~ '.' ~ key, found) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
