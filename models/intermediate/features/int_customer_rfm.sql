{#- a table, not a view: its ten data tests would each recompute the range joins -#}
{{ config(
    enabled=customer_segmentation.input_is_enabled('transactions'),
    materialized='table'
) }}

with rfm_values as (

    select * from {{ ref('int_customer_rfm_values') }}

),

cut_points as (

    select * from {{ ref('int_rfm_cut_points') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

scored as (

    select
        rfm_values.*,
        -- no purchase yet: the lowest recency score
        coalesce(recency.score, 1) as recency_score,
        frequency.score as frequency_score,
        monetary.score as monetary_score
    from rfm_values
    {%- for metric, alias in [('recency_days', 'recency'), ('frequency', 'frequency'), ('monetary_total', 'monetary')] %}
    left join cut_points as {{ alias }}
        on {{ alias }}.metric = '{{ metric }}'
        and ({{ alias }}.lower_bound is null or rfm_values.{{ metric }} > {{ alias }}.lower_bound)
        and ({{ alias }}.upper_bound is null or rfm_values.{{ metric }} <= {{ alias }}.upper_bound)
    {%- endfor %}

),

segment_matches as (

    select
        scored.customer_id,
        segment_map.rfm_segment,
        row_number() over (
            partition by scored.customer_id order by segment_map.priority
        ) as match_rank
    from scored
    inner join segment_map
        on scored.recency_score between segment_map.recency_score_min and segment_map.recency_score_max
        and scored.frequency_score between segment_map.frequency_score_min and segment_map.frequency_score_max

),

final as (

    select
        scored.*,
        {{ dbt.concat([
            dbt.safe_cast('scored.recency_score', dbt.type_string()),
            dbt.safe_cast('scored.frequency_score', dbt.type_string()),
            dbt.safe_cast('scored.monetary_score', dbt.type_string()),
        ]) }} as rfm_cell,
        segment_matches.rfm_segment
    from scored
    left join segment_matches
        on scored.customer_id = segment_matches.customer_id
        and segment_matches.match_rank = 1

)

select * from final
