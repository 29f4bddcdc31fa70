{#- Protected attributes are never model features: fails with every feature of any
    model that is a protected attribute (var protected_attributes), a direct
    derivation of one (birth date and age for age_band), or a one-hot column of one
    (gender_f). Feature lists checked: int_customer_features (every column but the
    key is a candidate feature), the segmentation model's ml_segment_preprocessing and,
    when campaign_responses is an input, the propensity model's ml_propensity_features.
    Add a model's feature list here when a new model is added. -#}
{%- set has_propensity = customer_segmentation.propensity_is_enabled() -%}
{%- set derivations = {'age_band': ['birth_date', 'age', 'age_years', 'age_years_given']} -%}
{%- set protected = [] -%}
{%- for attribute in var('protected_attributes') -%}
    {%- do protected.append((attribute | lower, attribute)) -%}
    {%- for derived in derivations.get(attribute, []) -%}
        {%- do protected.append((derived, attribute)) -%}
    {%- endfor -%}
{%- endfor -%}
{%- set feature_table_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('int_customer_features')) -%}
        {%- if column.name | lower != 'customer_id' -%}
            {%- do feature_table_columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

-- depends_on: {{ ref('int_customer_features') }}

with segmentation_features as (

    select
        'ml_segment_preprocessing' as model_name,
        feature_name
    from {{ ref('ml_segment_preprocessing') }}

),

{%- if has_propensity %}

propensity_features as (

    select
        'ml_propensity_features' as model_name,
        feature_name
    from {{ ref('ml_propensity_features') }}

),
{%- endif %}

candidate_features as (

    {%- for column in feature_table_columns %}
    select
        'int_customer_features' as model_name,
        '{{ column }}' as feature_name
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        'int_customer_features' as model_name,
        feature_name
    from segmentation_features
    where 1 = 0
    {%- endfor %}

),

protected_names as (

    {%- for name, attribute in protected %}
    select
        '{{ name }}' as protected_name,
        '{{ attribute }}' as protected_attribute
    {% if not loop.last %}union all{% endif %}
    {%- else %}
    select
        'customer_id' as protected_name,
        'none' as protected_attribute
    from segmentation_features
    where 1 = 0
    {%- endfor %}

),

features as (

    select * from segmentation_features
    union all
    select * from candidate_features
    {%- if has_propensity %}
    union all
    select * from propensity_features
    {%- endif %}

),

violations as (

    select
        features.model_name,
        features.feature_name,
        protected_names.protected_attribute
    from features
    inner join protected_names
        on lower(features.feature_name) = protected_names.protected_name
        or lower(features.feature_name) like protected_names.protected_name || '!_%' escape '!'

)

select * from violations
