{%- set has_rfm = customer_segmentation.input_is_enabled('transactions') -%}

with scores as (

    select * from {{ ref('int_customer_segment_scores') }}

),

names as (

    select * from {{ ref('int_segment_names') }}

),

families as (

    select * from {{ ref('int_customer_feature_families') }}

),

explanations as (

    select * from {{ ref('int_customer_segment_explanations') }}

),

rfm as (

    {%- if has_rfm %}
    select
        customer_id,
        rfm_cell,
        rfm_segment
    from {{ ref('int_customer_rfm') }}
    {%- else %}
    -- no transactions: the RFM family is off and every label is null
    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as rfm_cell,
        cast(null as {{ dbt.type_string() }}) as rfm_segment
    where 1 = 0
    {%- endif %}

),

final as (

    select
        scores.customer_id,
        scores.segment_id,
        names.segment_name,
        scores.distance,
        scores.second_segment_id,
        scores.second_distance,
        scores.third_segment_id,
        scores.third_distance,
        scores.confidence,
        scores.segment_share,
        scores.second_segment_share,
        scores.third_segment_share,
        {%- for rank in [1, 2, 3] %}
        explanations.explanation_{{ rank }}_feature,
        explanations.explanation_{{ rank }}_contribution,
        explanations.explanation_{{ rank }}_value,
        explanations.explanation_{{ rank }}_centroid_value,
        {%- endfor %}
        scores.pca_x,
        scores.pca_y,
        rfm.rfm_cell,
        rfm.rfm_segment,
        families.has_credit_account
    from scores
    inner join names
        on scores.segment_id = names.segment_id
    left join rfm
        on scores.customer_id = rfm.customer_id
    inner join families
        on scores.customer_id = families.customer_id
    left join explanations
        on scores.customer_id = explanations.customer_id

)

select * from final
