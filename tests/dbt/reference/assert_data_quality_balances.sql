-- For each input, rows in minus rows excluded must equal rows out: no row can
-- disappear without a counted reason.
with data_quality as (

    select * from {{ ref('data_quality') }}

),

per_input as (

    select
        input_name,
        max(rows_in) as rows_in,
        max(rows_out) as rows_out,
        sum(case when action = 'excluded' then rows_affected else 0 end) as rows_excluded
    from data_quality
    group by input_name

)

select *
from per_input
where rows_in - rows_excluded != rows_out
