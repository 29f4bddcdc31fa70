{#
    The input contract: for each input, the columns a user must provide and the
    ones that are used when present. README "Input contract" documents each column.
#}
{% macro input_contract(input_name) %}
    {{ return(adapter.dispatch('input_contract', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_contract(input_name) %}
    {#- these names become column names in the models' SQL -#}
    {%- set profile_columns = customer_segmentation.validated_identifiers(
        var('customer_profile_columns'), 'var customer_profile_columns'
    ) -%}
    {%- set protected = customer_segmentation.validated_identifiers(
        var('protected_attributes'), 'var protected_attributes'
    ) -%}
    {%- set extra_protected = [] -%}
    {%- for attribute in protected -%}
        {%- if attribute not in ['age_band', 'gender', 'marital_status'] -%}
            {%- do extra_protected.append(attribute) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set contracts = {
        'customers': {
            'required': ['customer_id'],
            'optional': ['gender', 'birth_date', 'age', 'marital_status', 'has_marketing_consent']
                + profile_columns + extra_protected,
            'extra_protected': extra_protected,
        },
        'transactions': {
            'required': ['customer_id', 'transacted_at', 'amount'],
            'optional': ['order_id', 'quantity', 'unit_price', 'is_refund'],
        },
        'credit_accounts': {
            'required': [
                'customer_id', 'balance', 'credit_limit', 'purchases', 'cash_advance',
                'payments', 'minimum_payments', 'full_payment_ratio',
            ],
            'optional': [
                'balance_frequency', 'oneoff_purchases', 'installments_purchases',
                'purchases_frequency', 'oneoff_purchases_frequency',
                'purchases_installments_frequency', 'cash_advance_frequency',
                'cash_advance_transactions', 'purchase_transactions', 'tenure_months',
            ],
        },
        'campaign_responses': {
            'required': ['customer_id', 'campaign_id', 'contacted_at', 'responded'],
            'optional': [],
        },
    } -%}
    {%- if input_name not in contracts -%}
        {{ exceptions.raise_compiler_error(
            "'" ~ input_name ~ "' is not an input of the contract: use one of "
            ~ contracts.keys() | list | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {{ return(contracts[input_name]) }}
{% endmacro %}
