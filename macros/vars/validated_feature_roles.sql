{#
    The feature-role vars checked together: segment_features, segment_exclude_features,
    propensity_features and propensity_exclude_features are each null or a list of
    column names (an exclusion list may be [] but not null), and none names a protected
    attribute (var protected_attributes, or a form of age: age, age_years, age_band,
    birth_date, date_of_birth). A categorical profile column may be listed: it is a
    propensity feature by default, a segmentation feature (as one indicator per level)
    only when segment_features names it. Returns {var name: list or none}.
    Arguments: none.
#}
{% macro validated_feature_roles() %}
    {{ return(adapter.dispatch('validated_feature_roles', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__validated_feature_roles() %}
    {%- set derived = ['age', 'age_years', 'age_band', 'birth_date', 'date_of_birth'] -%}
    {%- set protected = (var('protected_attributes', []) | map('lower') | list) + derived -%}
    {%- set roles = {} -%}
    {%- for name in ['segment_features', 'segment_exclude_features', 'propensity_features',
        'propensity_exclude_features'] -%}
        {%- set value = var(name, none) -%}
        {%- if value is not none -%}
            {%- set value = customer_segmentation.validated_identifiers(value, 'var ' ~ name) -%}
            {%- for feature in value if feature | lower in protected -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ name ~ " lists '" ~ feature ~ "', a protected attribute (var "
                    ~ "protected_attributes, or a form of age: " ~ derived | join(', ') ~ "), which can "
                    ~ "never be a model feature: remove it from var " ~ name ~ ". Protected attributes "
                    ~ "are used only for the fairness marts."
                ) }}
            {%- endfor -%}
        {%- endif -%}
        {%- do roles.update({name: value}) -%}
    {%- endfor -%}
    {{ return(roles) }}
{% endmacro %}
