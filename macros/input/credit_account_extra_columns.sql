{#
    The extra numeric credit-account columns of var credit_account_extra_columns, each
    with how several accounts of one customer are combined, as a list of
    {'column': name, 'aggregate': sum | avg | min | max} in the configured order. The
    var is a mapping {column: aggregate} (an aggregate of null takes the default, sum)
    or a list of names (each summed). A protected attribute (var protected_attributes,
    or a form of age, gender or marital status) or a name the contract or the
    utilization features already use stops the build.
    Arguments: none.
#}
{% macro credit_account_extra_columns() %}
    {{ return(adapter.dispatch('credit_account_extra_columns', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__credit_account_extra_columns() %}
    {%- set setting = 'var credit_account_extra_columns' -%}
    {%- set configured = var('credit_account_extra_columns', {}) or {} -%}
    {%- set aggregates = ['sum', 'avg', 'min', 'max'] -%}
    {%- if configured is mapping -%}
        {%- set names = configured.keys() | list -%}
    {%- elif configured is string or configured is not iterable -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(configured) ~ ": expected a mapping of "
            ~ "column to aggregate, e.g. {pay_0: max, bill_amt1: sum}, or a list of columns (summed)."
        ) }}
    {%- else -%}
        {%- set names = configured | list -%}
    {%- endif -%}
    {%- do customer_segmentation.validated_identifiers(names, setting) -%}
    {%- set protected = (var('protected_attributes', []) or []) | map('lower') | list + [
        'age', 'age_years', 'age_band', 'birth_date', 'date_of_birth', 'gender', 'sex', 'marital_status',
    ] -%}
    {%- set taken = [
        'customer_id', 'balance', 'credit_limit', 'purchases', 'cash_advance', 'payments',
        'minimum_payments', 'full_payment_ratio', 'balance_frequency', 'oneoff_purchases',
        'installments_purchases', 'purchases_frequency', 'oneoff_purchases_frequency',
        'purchases_installments_frequency', 'cash_advance_frequency', 'cash_advance_transactions',
        'purchase_transactions', 'tenure_months', 'credit_utilization', 'payments_to_minimum_ratio',
        'cash_advance_share', 'oneoff_purchase_share', 'purchases_per_transaction',
        'credit_account_count', 'exclusion_reason', 'row_copies',
    ] -%}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- set aggregate = configured[name] if configured is mapping else none -%}
        {%- set aggregate = 'sum' if aggregate is none else aggregate | string | lower -%}
        {%- if name | lower in protected -%}
            {{ exceptions.raise_compiler_error(
                setting ~ " lists '" ~ name ~ "', a protected attribute (var protected_attributes, or a "
                ~ "form of age, gender or marital status): it can never be a model feature. Remove it."
            ) }}
        {%- elif name | lower in taken -%}
            {{ exceptions.raise_compiler_error(
                setting ~ " lists '" ~ name ~ "', a column the credit_accounts contract or its features "
                ~ "already use. Map your column to that contract column with var input_columns instead, "
                ~ "or give the extra column another name."
            ) }}
        {%- elif aggregate not in aggregates -%}
            {{ exceptions.raise_compiler_error(
                setting ~ " gives '" ~ name ~ "' the aggregate " ~ customer_segmentation._shown(configured[name])
                ~ ": use one of " ~ aggregates | join(', ') ~ " (how several accounts of a customer combine)."
            ) }}
        {%- endif -%}
        {%- do columns.append({'column': name | lower, 'aggregate': aggregate}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}
