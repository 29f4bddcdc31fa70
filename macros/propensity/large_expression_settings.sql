{#
    Settings for a model of very large expressions (the propensity trees, one case
    expression each), as a pre-hook, and their reset as a post-hook. On DuckDB,
    common-subexpression elimination takes most of such a query's planning time and
    finds nothing to share (docs/benchmarks.md); other adapters need nothing.
    Arguments:
        reset: the post-hook's statement instead of the pre-hook's.
#}
{% macro large_expression_settings(reset=false) %}
    {{ return(adapter.dispatch('large_expression_settings', 'customer_segmentation')(reset)) }}
{% endmacro %}

{% macro default__large_expression_settings(reset=false) %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__large_expression_settings(reset=false) %}
    {{ return('reset disabled_optimizers' if reset else "set disabled_optimizers = 'common_subexpressions'") }}
{% endmacro %}
