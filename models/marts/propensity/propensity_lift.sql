{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- Lift, cumulative gains and calibration by score decile of the out-of-fold
    predictions (decile 1 = the highest scores; ties broken by customer_id). -#}

with oof_predictions as (

    select * from {{ ref('ml_propensity_oof_predictions') }}

),

deciles as (

    select
        model_name,
        is_served,
        oof_score,
        case when has_responded then 1 else 0 end as is_positive,
        cast(ntile(10) over (partition by model_name order by oof_score desc, customer_id asc) as {{ dbt.type_bigint() }}) as score_decile
    from oof_predictions

),

per_decile as (

    select
        model_name,
        score_decile,
        {{ dbt.bool_or('is_served') }} as is_served,
        count(*) as customers,
        cast(sum(is_positive) as {{ dbt.type_bigint() }}) as responders,
        avg(oof_score) as mean_score,
        min(oof_score) as min_score,
        max(oof_score) as max_score
    from deciles
    group by model_name, score_decile

),

cumulative as (

    select
        *,
        cast(sum(customers) over (
            partition by model_name order by score_decile rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as cumulative_customers,
        cast(sum(responders) over (
            partition by model_name order by score_decile rows between unbounded preceding and current row
        ) as {{ dbt.type_bigint() }}) as cumulative_responders,
        sum(customers) over (partition by model_name) as total_customers,
        sum(responders) over (partition by model_name) as total_responders
    from per_decile

),

final as (

    select
        model_name,
        is_served,
        score_decile,
        customers,
        responders,
        {{ customer_segmentation.safe_divide('responders', 'customers') }} as response_rate,
        {{ customer_segmentation.safe_divide(
            customer_segmentation.safe_divide('responders', 'customers'),
            customer_segmentation.safe_divide('total_responders', 'total_customers')
        ) }} as lift,
        cumulative_customers,
        cumulative_responders,
        {{ customer_segmentation.safe_divide('cumulative_customers', 'total_customers') }}
            as cumulative_customer_share,
        {{ customer_segmentation.safe_divide('cumulative_responders', 'total_responders') }}
            as cumulative_gain,
        {{ customer_segmentation.safe_divide(
            customer_segmentation.safe_divide('cumulative_responders', 'cumulative_customers'),
            customer_segmentation.safe_divide('total_responders', 'total_customers')
        ) }} as cumulative_lift,
        mean_score,
        {{ customer_segmentation.safe_divide('responders', 'customers') }} - mean_score as calibration_gap,
        min_score,
        max_score
    from cumulative

)

select * from final
