-- The three nearest segments are distinct and in order of distance, and their shares
-- in the same order and at most 1 together (a row here for every customer where not).
with segments as (

    select * from {{ ref('customer_segments') }}
    where second_segment_id is not null

)

select
    customer_id,
    segment_id,
    second_segment_id,
    third_segment_id
from segments
where
    second_segment_id = segment_id
    or third_segment_id in (segment_id, second_segment_id)
    or second_distance < distance
    or third_distance < second_distance
    or second_segment_share > segment_share
    or third_segment_share > second_segment_share
    or segment_share + second_segment_share + coalesce(third_segment_share, 0) > 1 + 1e-12
