{#- Warns (never fails) when ml_segment_preprocessing leaves a feature out of the model
    because it is all null or constant: one dbt warning per feature, naming it and the
    reason, so a drop is never silent. The rows returned are the dropped features. -#}
{{ config(severity='warn') }}

{%- if execute -%}
    {%- set relation = load_relation(ref('ml_segment_preprocessing')) -%}
    {%- if relation is not none -%}
        {%- set dropped = run_query(
            'select feature_name, drop_reason from ' ~ relation
            ~ ' where is_dropped order by feature_position'
        ) -%}
        {%- for row in dropped.rows -%}
            {%- do exceptions.warn(
                "Segmentation feature '" ~ row[0] ~ "' is left out of the model: " ~ row[1]
                ~ ". Check that column of the input, or leave it out of var segment_features."
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with preprocessing as (

    select * from {{ ref('ml_segment_preprocessing') }}

)

select
    feature_name,
    drop_reason
from preprocessing
where is_dropped
