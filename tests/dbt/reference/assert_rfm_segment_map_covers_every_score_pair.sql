-- Every (recency score, frequency score) pair from 1-5 must map to an RFM segment.
with scores as (

    {%- for score in [1, 2, 3, 4, 5] %}
    select {{ score }} as score
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

score_pairs as (

    select
        recency.score as recency_score,
        frequency.score as frequency_score
    from scores as recency
    cross join scores as frequency

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

)

select score_pairs.*
from score_pairs
left join segment_map
    on score_pairs.recency_score between segment_map.recency_score_min and segment_map.recency_score_max
    and score_pairs.frequency_score between segment_map.frequency_score_min and segment_map.frequency_score_max
where segment_map.rfm_segment is null
