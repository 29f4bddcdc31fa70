-- A customer's three explanation features are their three largest positive terms of the
-- squared-distance gap, largest first (a row here for every term that beats a listed one,
-- or an explanation out of order).
{%- set features = customer_segmentation.model_features() %}
-- depends_on: {{ ref('ml_segment_preprocessing') }}

with scores as (

    select * from {{ ref('int_customer_segment_scores') }}
    where second_segment_id is not null

),

explanations as (

    select * from {{ ref('int_customer_segment_explanations') }}

),

terms as (

    {%- for feature in features %}
    {% if not loop.first %}union all
    {% endif -%}
    select
        customer_id,
        '{{ feature }}' as feature_name,
        explanation_term__{{ feature }} as contribution
    from scores
    {%- endfor %}

),

beaten as (

    -- an unlisted positive term above the smallest listed one (or any, with fewer than three)
    select
        terms.customer_id,
        terms.feature_name,
        terms.contribution
    from terms
    left join explanations
        on terms.customer_id = explanations.customer_id
    where
        terms.contribution > 1e-12
        and terms.feature_name not in (
            coalesce(explanations.explanation_1_feature, ''),
            coalesce(explanations.explanation_2_feature, ''),
            coalesce(explanations.explanation_3_feature, '')
        )
        and (
            explanations.explanation_3_contribution is null
            or terms.contribution > explanations.explanation_3_contribution + 1e-12
        )

),

unordered as (

    select
        customer_id,
        'order' as feature_name,
        explanation_1_contribution as contribution
    from explanations
    where
        explanation_2_contribution > explanation_1_contribution
        or explanation_3_contribution > explanation_2_contribution

)

select * from beaten
union all
select * from unordered
