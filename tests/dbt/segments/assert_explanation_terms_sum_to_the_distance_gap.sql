-- Each clustered customer's explanation terms, one per model feature, sum to the
-- difference of squared distances to the runner-up and the assigned segment (a row
-- here for every customer where they do not, beyond rounding).
{%- set features = customer_segmentation.model_features() %}
-- depends_on: {{ ref('ml_segment_preprocessing') }}

with scores as (

    select * from {{ ref('int_customer_segment_scores') }}
    where second_segment_id is not null

),

gaps as (

    select
        customer_id,
        second_distance * second_distance - distance * distance as squared_distance_gap,
        0
        {%- for feature in features %}
        + explanation_term__{{ feature }}
        {%- endfor %} as term_sum
    from scores

)

select * from gaps
where abs(term_sum - squared_distance_gap) > 1e-9 * greatest(1, squared_distance_gap)
