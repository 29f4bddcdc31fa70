{#- Warns (never fails) when the k selection rule found no k as stable as min_stability
    asks and took the most stable one: a dbt warning naming the chosen k and why (its
    choice_reason), so the fallback is never silent. The row returned is the chosen k. -#}
{{ config(severity='warn') }}

{%- if execute -%}
    {%- set relation = load_relation(ref('segment_model_selection')) -%}
    {%- if relation is not none -%}
        {%- set reasons = run_query(
            'select choice_reason from ' ~ relation ~ ' where is_chosen and is_stability_fallback'
        ).columns[0].values() -%}
        {%- for reason in reasons -%}
            {%- do exceptions.warn(
                "segment_model_selection: " ~ reason ~ ". Widen the k range or lower "
                ~ "min_stability in var segment_k_selection, or fix k (rule: fixed) if the "
                ~ "segments are still useful."
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with model_selection as (

    select * from {{ ref('segment_model_selection') }}

)

select
    k,
    choice_reason
from model_selection
where is_chosen and is_stability_fallback
