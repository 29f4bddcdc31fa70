{#- The calendar MetricFlow joins time dimensions to: one row per day over any date a
    build can be measured at (as_of_date), in dbt's portable date_spine. -#}
with days as (

    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2051-01-01' as date)") }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
