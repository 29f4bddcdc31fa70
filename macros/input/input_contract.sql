{#
    The input contract: for each input, the columns a user must provide and the
    ones that are used when present. docs/input-contract.md documents each column.
    'categorical' lists the categorical profile columns (text, levels learned downstream).
    'typed' lists the columns read as numbers, dates, booleans or ordinal ranks: the kind, the
    column of the base model holding the typed value, and the data_quality rule that
    counts values present but unreadable (a repair, or the exclusion of the row when
    the row cannot be used without the value).
#}
{% macro input_contract(input_name) %}
    {{ return(adapter.dispatch('input_contract', 'customer_segmentation')(input_name)) }}
{% endmacro %}

{% macro default__input_contract(input_name) %}
    {#- these names become column names in the models' SQL -#}
    {%- set profile = customer_segmentation.validated_profile_columns(var('customer_profile_columns')) -%}
    {%- set profile_columns = profile | map(attribute='name') | list -%}
    {%- set protected = customer_segmentation.validated_identifiers(
        var('protected_attributes'), 'var protected_attributes'
    ) -%}
    {%- set extra_protected = [] -%}
    {%- for attribute in protected -%}
        {%- if attribute not in ['age_band', 'gender', 'marital_status'] -%}
            {%- do extra_protected.append(attribute) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set credit_numbers = [
        'balance', 'credit_limit', 'purchases', 'cash_advance', 'payments', 'minimum_payments',
        'full_payment_ratio', 'balance_frequency', 'oneoff_purchases', 'installments_purchases',
        'purchases_frequency', 'oneoff_purchases_frequency', 'purchases_installments_frequency',
        'cash_advance_frequency', 'cash_advance_transactions', 'purchase_transactions', 'tenure_months',
    ] -%}
    {%- set customer_typed = [
        {'column': 'birth_date', 'kind': 'date', 'as': 'birth_date', 'rule': 'unreadable_date'},
        {'column': 'age', 'kind': 'integer', 'as': 'age_years_given', 'rule': 'unreadable_number'},
        {'column': 'has_marketing_consent', 'kind': 'boolean', 'as': 'has_marketing_consent_given',
            'rule': 'unreadable_boolean'},
    ] -%}
    {#- a categorical column is text: not typed (its levels are learned downstream) -#}
    {%- set rules = {'number': 'unreadable_number', 'boolean': 'unreadable_boolean', 'ordinal': 'unreadable_level'} -%}
    {%- for column in profile if column.type != 'categorical' -%}
        {%- do customer_typed.append({
            'column': column.name, 'kind': column.type, 'as': column.name, 'rule': rules[column.type],
            'levels': column.levels,
        }) -%}
    {%- endfor -%}
    {#- the propensity outcome, when it is a yes/no column of customers (var propensity_outcome):
        required, read as a boolean into has_outcome -#}
    {%- set outcome = customer_segmentation.propensity_outcome() -%}
    {%- set outcome_columns = [outcome.column] if outcome.source == 'customers' else [] -%}
    {%- for column in outcome_columns -%}
        {%- do customer_typed.append({'column': column, 'kind': 'boolean', 'as': 'has_outcome', 'rule': 'unreadable_boolean'}) -%}
    {%- endfor -%}
    {#- credit_accounts requires only what every card table has (id, balance, limit): each
        utilization feature is built from the columns present (credit_account_features);
        extra numeric account columns (var credit_account_extra_columns) are credit numbers -#}
    {%- set credit_extra = customer_segmentation.credit_account_extra_columns() | map(attribute='column') | list -%}
    {%- set credit_typed = [] -%}
    {%- for column in credit_numbers + credit_extra -%}
        {%- do credit_typed.append({'column': column, 'kind': 'number', 'as': column, 'rule': 'unreadable_number'}) -%}
    {%- endfor -%}
    {%- set contracts = {
        'customers': {
            'required': ['customer_id'] + outcome_columns,
            'optional': ['gender', 'birth_date', 'age', 'marital_status', 'has_marketing_consent']
                + profile_columns + extra_protected,
            'extra_protected': extra_protected,
            'categorical': profile | selectattr('type', 'equalto', 'categorical') | map(attribute='name') | list,
            'typed': customer_typed,
        },
        'transactions': {
            'required': ['customer_id', 'transacted_at', 'amount'],
            'optional': ['order_id', 'quantity', 'unit_price', 'is_refund'],
            'typed': [
                {'column': 'transacted_at', 'kind': 'timestamp', 'as': 'transacted_at',
                    'rule': 'invalid_transacted_at'},
                {'column': 'amount', 'kind': 'number', 'as': 'amount', 'rule': 'non_numeric_amount'},
                {'column': 'quantity', 'kind': 'number', 'as': 'quantity', 'rule': 'unreadable_number'},
                {'column': 'unit_price', 'kind': 'number', 'as': 'unit_price', 'rule': 'unreadable_number'},
                {'column': 'is_refund', 'kind': 'boolean', 'as': 'is_refund_given', 'rule': 'unreadable_boolean'},
            ],
        },
        'credit_accounts': {
            'required': ['customer_id', 'balance', 'credit_limit'],
            'optional': [
                'purchases', 'cash_advance', 'payments', 'minimum_payments', 'full_payment_ratio',
                'balance_frequency', 'oneoff_purchases', 'installments_purchases',
                'purchases_frequency', 'oneoff_purchases_frequency',
                'purchases_installments_frequency', 'cash_advance_frequency',
                'cash_advance_transactions', 'purchase_transactions', 'tenure_months',
            ] + credit_extra,
            'typed': credit_typed,
        },
        'campaign_responses': {
            'required': ['customer_id', 'campaign_id', 'contacted_at', 'responded'],
            'optional': [],
            'typed': [
                {'column': 'contacted_at', 'kind': 'date', 'as': 'contacted_date', 'rule': 'invalid_contacted_at'},
                {'column': 'responded', 'kind': 'boolean', 'as': 'has_responded', 'rule': 'invalid_responded'},
            ],
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
