{#
    The attribute sets the fairness marts break results down by: each protected
    attribute of var protected_attributes on its own, then the two-way intersections
    of var fairness_intersections ('all': every pair, in the configured order; or a
    list of pairs such as [[gender, age_band]]; [] for none). An intersection is
    named 'gender x age_band' and its groups 'F / 25-34'.
    Returns a list of {'name': ..., 'columns': [...]} dicts.
    Arguments:
        include_intersections: false for the single attributes only.
#}
{% macro fairness_attribute_sets(include_intersections=true) %}
    {{ return(adapter.dispatch('fairness_attribute_sets', 'customer_segmentation')(include_intersections)) }}
{% endmacro %}

{% macro default__fairness_attribute_sets(include_intersections=true) %}
    {%- set attributes = var('protected_attributes') -%}
    {%- if attributes | unique | list | length != attributes | length -%}
        {{ exceptions.raise_compiler_error(
            "var protected_attributes lists an attribute twice: " ~ attributes ~ "."
        ) }}
    {%- endif -%}
    {%- set sets = [] -%}
    {%- for attribute in attributes -%}
        {%- do sets.append({'name': attribute, 'columns': [attribute]}) -%}
    {%- endfor -%}
    {%- if not include_intersections -%}
        {{ return(sets) }}
    {%- endif -%}
    {%- set configured = var('fairness_intersections', 'all') -%}
    {%- set pairs = [] -%}
    {%- if configured == 'all' -%}
        {%- for first in attributes -%}
            {%- for second in attributes[loop.index:] -%}
                {%- do pairs.append([first, second]) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- elif configured is string or configured is mapping -%}
        {{ exceptions.raise_compiler_error(
            "var fairness_intersections is '" ~ configured ~ "': set it to 'all', to a list of "
            ~ "pairs of protected attributes such as [[gender, age_band]], or to []."
        ) }}
    {%- else -%}
        {%- for pair in configured -%}
            {%- if pair is string or pair | length != 2 or pair[0] == pair[1]
                or pair[0] not in attributes or pair[1] not in attributes -%}
                {{ exceptions.raise_compiler_error(
                    "var fairness_intersections: " ~ pair ~ " is not a pair of two different "
                    ~ "attributes of var protected_attributes (" ~ attributes | join(', ') ~ ")."
                ) }}
            {%- endif -%}
            {%- do pairs.append([pair[0], pair[1]]) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for pair in pairs -%}
        {%- do sets.append({'name': pair | join(' x '), 'columns': pair}) -%}
    {%- endfor -%}
    {{ return(sets) }}
{% endmacro %}
