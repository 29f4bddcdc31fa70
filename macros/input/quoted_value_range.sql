{#
    Example values of a range rule for data_quality.example_values: the smallest and
    largest offending value, quoted ('2031-01-04', '2031-06-01'), or the one value
    when they are equal, or null when the rule matched nothing.
    Arguments:
        min_value: SQL expression of the smallest value (e.g. min(amount)).
        max_value: SQL expression of the largest value.
#}
{% macro quoted_value_range(min_value, max_value) %}
    {{ return(adapter.dispatch('quoted_value_range', 'customer_segmentation')(min_value, max_value)) }}
{% endmacro %}

{% macro default__quoted_value_range(min_value, max_value) -%}
    {%- set smallest = "cast(" ~ min_value ~ " as " ~ dbt.type_string() ~ ")" -%}
    {%- set largest = "cast(" ~ max_value ~ " as " ~ dbt.type_string() ~ ")" -%}
    case
        when {{ min_value }} is null then null
        when {{ smallest }} = {{ largest }} then {{ dbt.concat(["''''", smallest, "''''"]) }}
        else {{ dbt.concat(["''''", smallest, "''', '''", largest, "''''"]) }}
    end
{%- endmacro %}
