-- Every (recency score, frequency score) pair from 1-5 must map to an RFM segment.
with scores as (

    select 1 as score
    union all select 2
    union all select 3
    union all select 4
    union all select 5

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
