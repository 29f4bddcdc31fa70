{#
    Rank (from 1) of a value within its partition, ascending, tied values sharing the
    average of their ranks: the ranks of the Mann-Whitney formula behind ROC-AUC,
    computed the same way by propensity_metrics and propensity_fairness.
    Arguments:
        order_by:     the numeric SQL expression ranked.
        partition_by: the partition columns, comma-separated.
#}
{% macro average_rank(order_by, partition_by) %}
    {{ return(adapter.dispatch('average_rank', 'customer_segmentation')(order_by, partition_by)) }}
{% endmacro %}

{% macro default__average_rank(order_by, partition_by) -%}
    rank() over (partition by {{ partition_by }} order by {{ order_by }})
    + (count(*) over (partition by {{ partition_by }}, {{ order_by }}) - 1) / 2.0
{%- endmacro %}
