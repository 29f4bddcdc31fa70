{{ config(post_hook="{{ customer_segmentation.assert_input_readable(this, 'customers') }}") }}
{%- set columns = customer_segmentation.input_columns('customers') -%}
{%- set contract = customer_segmentation.input_contract('customers') -%}
{%- set typed_columns = customer_segmentation.input_typed_columns('customers', columns) -%}
{{- customer_segmentation.assert_protected_attributes_mapped(columns) -}}

with counted as (

    {{ customer_segmentation.input_rows_counted('customers') }}

),

typed as (

    select
        nullif(trim(cast({{ columns.customer_id }} as {{ dbt.type_string() }})), '') as customer_id,
        nullif(trim(cast({{ columns.gender or 'null' }} as {{ dbt.type_string() }})), '') as gender,
        nullif(
            trim(cast({{ columns.marital_status or 'null' }} as {{ dbt.type_string() }})), ''
        ) as marital_status,
        {%- for column in contract.extra_protected %}
        cast({{ columns[column] or 'null' }} as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        {#- a categorical column as text, trimmed, a blank read as missing -#}
        {%- for column in contract.categorical %}
        nullif(trim(cast({{ columns[column] or 'null' }} as {{ dbt.type_string() }})), '') as {{ column }},
        {%- endfor %}
        {#- each typed column as given (kept to tell unreadable from missing) and typed -#}
        {%- for typed in typed_columns %}
        {%- if typed.checked %}
        {{ typed.expression }} as {{ typed.column }}__given,
        {%- endif %}
        {{ customer_segmentation.input_typed_value(typed.expression or 'null', typed.kind, typed.format, typed.levels) }}
            as {{ typed['as'] }},
        {%- endfor %}
        row_copies
    from counted

),

flagged as (

    select
        customer_id,
        gender,
        marital_status,
        {%- for column in contract.extra_protected + contract.categorical %}
        {{ column }},
        {%- endfor %}
        {%- for typed in typed_columns %}
        {{ typed['as'] }},
        {%- if typed.checked %}
        {{ customer_segmentation.unreadable_value(typed['as'], typed.column ~ '__given') }}
            as {{ typed.column }}_unreadable,
        {%- endif %}
        {%- endfor %}
        row_copies,
        case
            when customer_id is null then 'missing_customer_id'
        end as exclusion_reason
    from typed

)

select * from flagged
