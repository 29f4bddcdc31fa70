with model_selection as (

    select * from {{ ref('ml_segment_model_selection') }}

),

final as (

    -- every figure the fit records, as the public table
    select * from model_selection

)

select * from final
