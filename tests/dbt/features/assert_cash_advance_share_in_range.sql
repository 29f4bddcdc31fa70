{{ config(enabled=customer_segmentation.input_is_enabled('credit_accounts')) }}
{#- cash_advance_share of int_customer_utilization lies in [0, 1], checked only
    when int_customer_utilization has it (the input has purchases and cash_advance). -#}
{%- set shares = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('int_customer_utilization'))
        if column.name | lower == 'cash_advance_share' -%}
        {%- do shares.append('cash_advance_share') -%}
    {%- endfor -%}
{%- endif %}

{% if shares -%}
select customer_id
from {{ ref('int_customer_utilization') }}
where
    {%- for share in shares %}
    {% if not loop.first %}or {% endif %}{{ share }} < 0 or {{ share }} > 1
    {%- endfor %}
{%- else -%}
select customer_id
from {{ ref('int_customer_utilization') }}
where 1 = 0
{%- endif %}
