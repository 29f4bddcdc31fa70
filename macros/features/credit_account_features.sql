{#
    What int_customer_utilization builds from the credit-account columns of this build:
    only balance and credit_limit are required, so each feature is built only when every
    column it reads is there (the base model keeps only the columns the input has or
    maps, never a column filled with nulls).
    Returns a dict:
        aggregated: [{'column', 'aggregate'}] per-customer totals of the columns there
                    (amounts and counts summed, frequencies and ratios averaged, tenure
                    the longest, extra columns as var credit_account_extra_columns says);
        derived:    [{'name', 'numerator', 'denominator'}] ratios whose columns are all there;
        features:   the names int_customer_features takes as model features, in order.
    Arguments:
        columns: the column names of the relation the caller reads (the scoped credit
                 accounts, or int_customer_utilization), lower case; none while dbt
                 parses (every column counts as there).
#}
{% macro credit_account_features(columns=none) %}
    {{ return(adapter.dispatch('credit_account_features', 'customer_segmentation')(columns)) }}
{% endmacro %}

{% macro default__credit_account_features(columns=none) %}
    {%- set extra = customer_segmentation.credit_account_extra_columns() -%}
    {%- set totals = [
        ('balance', 'sum'), ('credit_limit', 'sum'), ('purchases', 'sum'), ('oneoff_purchases', 'sum'),
        ('installments_purchases', 'sum'), ('cash_advance', 'sum'), ('payments', 'sum'),
        ('minimum_payments', 'sum'), ('purchase_transactions', 'sum'), ('cash_advance_transactions', 'sum'),
        ('full_payment_ratio', 'avg'), ('balance_frequency', 'avg'), ('purchases_frequency', 'avg'),
        ('cash_advance_frequency', 'avg'), ('tenure_months', 'max'),
    ] -%}
    {#- (feature, numerator, denominator, the columns it reads) -#}
    {%- set ratios = [
        ('credit_utilization', 'balance', 'credit_limit', ['balance', 'credit_limit']),
        ('payments_to_minimum_ratio', 'payments', 'minimum_payments', ['payments', 'minimum_payments']),
        ('cash_advance_share', 'cash_advance', 'purchases + cash_advance', ['cash_advance', 'purchases']),
        ('oneoff_purchase_share', 'oneoff_purchases', 'oneoff_purchases + installments_purchases',
            ['oneoff_purchases', 'installments_purchases']),
        ('purchases_per_transaction', 'purchases', 'purchase_transactions', ['purchases', 'purchase_transactions']),
    ] -%}
    {#- the model features, in the order int_customer_features has always had them -#}
    {%- set feature_order = [
        'balance', 'credit_limit', 'purchases', 'cash_advance', 'payments',
        'credit_utilization', 'payments_to_minimum_ratio', 'cash_advance_share',
        'oneoff_purchase_share', 'purchases_per_transaction', 'full_payment_ratio',
        'purchases_frequency', 'cash_advance_frequency',
    ] -%}
    {%- set present = [] -%}
    {%- for column in totals | map(attribute=0) | list + extra | map(attribute='column') | list
        + ratios | map(attribute=0) | list -%}
        {%- if columns is none or column in columns -%}
            {%- do present.append(column) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set aggregated = [] -%}
    {%- for column, aggregate in totals if column in present -%}
        {%- do aggregated.append({'column': column, 'aggregate': aggregate}) -%}
    {%- endfor -%}
    {%- for column in extra if column.column in present -%}
        {%- do aggregated.append(column) -%}
    {%- endfor -%}
    {%- set derived = [] -%}
    {%- set produced = present[:] -%}
    {%- for name, numerator, denominator, reads in ratios -%}
        {%- if reads | reject('in', present) | list | length == 0 -%}
            {%- do derived.append({'name': name, 'numerator': numerator, 'denominator': denominator}) -%}
            {%- do produced.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set features = [] -%}
    {%- for name in feature_order + extra | map(attribute='column') | list if name in produced -%}
        {%- do features.append(name) -%}
    {%- endfor -%}
    {{ return({'aggregated': aggregated, 'derived': derived, 'features': features}) }}
{% endmacro %}
