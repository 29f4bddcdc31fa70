{#
    The propensity model's customer features, read at run time (an empty list while dbt
    parses): of the candidates, the columns of int_customer_features but segmentation
    indicators (<categorical column>__<level>) then the categorical profile columns,
    those of var propensity_features (null or []: all, in candidate order; a list:
    those, in its order), less var propensity_exclude_features. A listed name that is
    not a candidate stops the build naming the var and the candidates.
    Arguments: none.
#}
{% macro propensity_feature_names() %}
    {{ return(adapter.dispatch('propensity_feature_names', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__propensity_feature_names() %}
    {%- set roles = customer_segmentation.validated_feature_roles() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set categorical = customer_segmentation.input_contract('customers').categorical -%}
    {%- set candidates = [] -%}
    {%- for column in customer_segmentation.feature_columns() if column.split('__')[0] not in categorical -%}
        {%- do candidates.append(column) -%}
    {%- endfor -%}
    {%- set candidates = candidates + categorical -%}
    {%- set lowered = candidates | map('lower') | list -%}
    {%- for name in ['propensity_features', 'propensity_exclude_features'] -%}
        {%- for feature in roles[name] or [] if feature | lower not in lowered -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " lists '" ~ feature ~ "', which is not a feature of this build; "
                ~ "available: " ~ candidates | join(', ') ~ ". Fix the list, or switch on the input "
                ~ "family that provides it (var optional_inputs, customer_profile_columns)."
            ) }}
        {%- endfor -%}
    {%- endfor -%}
    {%- set excluded = (roles.propensity_exclude_features or []) | map('lower') | list -%}
    {%- set chosen = [] -%}
    {%- for feature in (roles.propensity_features or candidates) if feature | lower not in excluded -%}
        {%- do chosen.append(candidates[lowered.index(feature | lower)]) -%}
    {%- endfor -%}
    {{ return(chosen) }}
{% endmacro %}
