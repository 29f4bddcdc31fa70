{#
    Post-hook of segment_model_selection: when the rule found no k as stable as
    min_stability asks and took the most stable one, a warning in dbt's output naming
    the chosen k and why (its choice_reason), so the fallback is never silent.
    Arguments:
        relation: the built segment_model_selection (this).
#}
{% macro warn_k_selection_fallback(relation) %}
    {{ return(adapter.dispatch('warn_k_selection_fallback', 'customer_segmentation')(relation)) }}
{% endmacro %}

{% macro default__warn_k_selection_fallback(relation) %}
    {% if execute %}
        {% set reasons = run_query(
            'select choice_reason from ' ~ relation ~ ' where is_chosen and is_stability_fallback'
        ).columns[0].values() %}
        {% for reason in reasons %}
            {% do exceptions.warn(
                relation.identifier ~ ": " ~ reason ~ ". Widen the k range or lower "
                ~ "min_stability in var segment_k_selection, or fix k (rule: fixed) if the "
                ~ "segments are still useful."
            ) %}
        {% endfor %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
