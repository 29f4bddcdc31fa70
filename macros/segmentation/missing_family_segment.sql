{#
    The segment of its own for customers without a feature family the segmentation
    model uses (var segment_missing_family: own_segment, the default). Today the one
    family a customer can lack as a whole is the credit accounts: a customer without
    any has no balance, limit or utilization (not a zero one), so imputing them would
    put the customer in a card-behaviour segment on values they do not have. Such a
    customer is neither fitted on nor scored by K-Means: they get this segment, whose id
    (0) no K-Means segment can take (those are numbered from 1), so it keeps its id
    across model versions.
    Returns a dict (segment_id, segment_name, archetype, family, flag: the column of
    int_customer_feature_families saying who has the family), or none when no family
    the model uses can be missing (credit accounts off, var segment_features without a
    credit feature) or under segment_missing_family: impute (every customer is
    clustered, missing values imputed, and the share is shown in the profiles).
    Arguments: none.
#}
{% macro missing_family_segment() %}
    {{ return(adapter.dispatch('missing_family_segment', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__missing_family_segment() %}
    {%- set policy = var('segment_missing_family', 'own_segment') -%}
    {%- if policy not in ['own_segment', 'impute'] -%}
        {{ exceptions.raise_compiler_error(
            "var segment_missing_family is " ~ customer_segmentation._shown(policy)
            ~ ": use own_segment (customers without a feature family the model uses get a segment "
            ~ "of their own) or impute (they are clustered on imputed values)."
        ) }}
    {%- endif -%}
    {%- if policy == 'impute' or not customer_segmentation._credit_family_used() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({
        'segment_id': 0,
        'segment_name': 'No credit account',
        'archetype': 'no_credit_account',
        'family': 'credit_accounts',
        'flag': 'has_credit_account',
    }) }}
{% endmacro %}

{#- Private helper: whether the segmentation model uses the credit-account family: the input is on, and
    var segment_features is null (every feature) or names a credit feature. -#}
{% macro _credit_family_used() %}
    {%- if not customer_segmentation.input_is_enabled('credit_accounts') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set configured = var('segment_features', none) -%}
    {%- if configured is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set configured = [configured] if configured is string else configured -%}
    {%- set credit = customer_segmentation.credit_account_features().features -%}
    {{ return(configured | select('in', credit) | list | length > 0) }}
{% endmacro %}
