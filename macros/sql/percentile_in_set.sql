{#
    Continuous percentile (linear interpolation) of expression at fraction, as an
    aggregate, when the same query also asks for the other fractions of the same
    expression: the same value as percentile(expression, fraction). DuckDB computes
    every fraction of one expression in one aggregate (quantile_cont with the list of
    fractions, which its optimizer shares between the calls: one pass and one copy of
    the values instead of one per fraction), and Spark likewise (percentile with an
    array of fractions); elsewhere it is percentile().
    Arguments:
        expression: numeric SQL expression.
        fraction:   the percentile wanted, one of fractions.
        fractions:  every percentile the query takes of expression, in the same order
                    in each call, e.g. [0.1, 0.5, 0.9].
#}
{% macro percentile_in_set(expression, fraction, fractions) %}
    {{ return(adapter.dispatch('percentile_in_set', 'customer_segmentation')(expression, fraction, fractions)) }}
{% endmacro %}

{% macro default__percentile_in_set(expression, fraction, fractions) -%}
    {{ customer_segmentation.percentile(expression, fraction) }}
{%- endmacro %}

{% macro duckdb__percentile_in_set(expression, fraction, fractions) -%}
    (quantile_cont({{ expression }}, [{{ fractions | join(', ') }}]))[{{ customer_segmentation._fraction_position(fraction, fractions) + 1 }}]
{%- endmacro %}

{% macro spark__percentile_in_set(expression, fraction, fractions) -%}
    (percentile({{ expression }}, array({{ fractions | join(', ') }})))[{{ customer_segmentation._fraction_position(fraction, fractions) }}]
{%- endmacro %}

{#- The 0-based position of fraction in fractions; a compile error when it is not there. -#}
{% macro _fraction_position(fraction, fractions) -%}
    {%- if fraction not in fractions -%}
        {{ exceptions.raise_compiler_error(
            "percentile_in_set: fraction " ~ fraction ~ " is not one of fractions " ~ fractions
        ) }}
    {%- endif -%}
    {{ return(fractions.index(fraction)) }}
{%- endmacro %}
