{{ config(
    enabled=customer_segmentation.input_is_enabled('transactions'),
    materialized='table',
) }}
{#- Quintile cut points of recency, frequency and monetary value over customers with
    a purchase, as value ranges per score. A value in (lower_bound, upper_bound] gets
    the score, so equal values always get equal scores; when cut points coincide
    (heavy ties) a score's range is empty and fewer than five scores are used. -#}
{%- set metrics = ['recency_days', 'frequency', 'monetary_total'] -%}

with rfm_values as (

    select * from {{ ref('int_customer_rfm_values') }}
    where has_purchases

),

quintiles as (

    {%- for metric in metrics %}
    select
        '{{ metric }}' as metric,
        {%- for quintile in [1, 2, 3, 4] %}
        {{ customer_segmentation.percentile_in_set(metric, quintile / 5, [0.2, 0.4, 0.6, 0.8]) }} as cut_{{ quintile }}{{ ',' if not loop.last }}
        {%- endfor %}
    from rfm_values
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

ranges as (

    {%- for position in [1, 2, 3, 4, 5] %}
    select
        metric,
        -- recency: the shortest recencies get the top score
        case when metric = 'recency_days' then {{ 6 - position }} else {{ position }} end as score,
        {{ 'cast(null as ' ~ customer_segmentation.type_double() ~ ')' if position == 1 else 'cut_' ~ (position - 1) }}
            as lower_bound,
        {{ 'cast(null as ' ~ customer_segmentation.type_double() ~ ')' if position == 5 else 'cut_' ~ position }}
            as upper_bound
    from quintiles
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select
    metric,
    score,
    lower_bound,
    upper_bound
from ranges
