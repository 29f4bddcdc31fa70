-- Exactly one candidate k is chosen (a row here when none or several are).
with model_selection as (

    select * from {{ ref('segment_model_selection') }}

),

chosen as (

    select count(*) as chosen_rows
    from model_selection
    where is_chosen

)

select * from chosen
where chosen_rows != 1
