{{ config(materialized='table') }}
{#- Why each clustered customer is in their segment and not the runner-up: each model
    feature's term of the difference of squared standardized distances
    (int_customer_segment_scores.explanation_term__<feature>, summing exactly to
    second_distance^2 - distance^2), the three largest positive ones with the
    customer's value and the segment centroid's, in original units. A decomposition of
    the nearest-centroid decision, not a surrogate model's attribution. -#}
-- depends_on: {{ ref('ml_segment_preprocessing') }}
{%- set features = customer_segmentation.model_features() %}

with scores as (

    select * from {{ ref('int_customer_segment_scores') }}
    where second_segment_id is not null

),

population as (

    select * from {{ ref('int_segmentation_population') }}

),

centroids as (

    select
        segment_id,
        feature_name,
        centroid_value
    from {{ ref('ml_segment_centroids') }}

),

scored_values as (

    select
        scores.*,
        {%- for feature in features %}
        population.{{ feature }} as value__{{ feature }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from scores
    inner join population
        on scores.customer_id = population.customer_id

),

terms as (

    -- one row per customer and feature (scored_values read once: unpivot_wide)
    {{ customer_segmentation.unpivot_wide('scored_values', features, [
        ['customer_id', 'customer_id'],
        ['segment_id', 'segment_id'],
        ['feature_name', "'{item}'"],
        ['feature_position', '{index}'],
        ['contribution', 'explanation_term__{item}'],
        ['feature_value', 'cast(value__{item} as ' ~ customer_segmentation.type_double() ~ ')'],
    ]) }}

),

ranked as (

    select
        terms.*,
        centroids.centroid_value,
        row_number() over (
            partition by terms.customer_id order by terms.contribution desc, terms.feature_position asc
        ) as explanation_rank
    from terms
    inner join centroids
        on
            terms.segment_id = centroids.segment_id
            and terms.feature_name = centroids.feature_name
    where terms.contribution > 0

),

final as (

    select
        customer_id,
        {%- for rank in [1, 2, 3] %}
        max(case when explanation_rank = {{ rank }} then feature_name end) as explanation_{{ rank }}_feature,
        max(case when explanation_rank = {{ rank }} then contribution end) as explanation_{{ rank }}_contribution,
        max(case when explanation_rank = {{ rank }} then feature_value end) as explanation_{{ rank }}_value,
        max(case when explanation_rank = {{ rank }} then centroid_value end)
            as explanation_{{ rank }}_centroid_value{% if not loop.last %},{% endif %}
        {%- endfor %}
    from ranked
    where explanation_rank <= 3
    group by customer_id

)

select * from final
