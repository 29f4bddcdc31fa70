{#
    The propensity model's outcome, from var propensity_outcome, validated, with the
    defaults filled in: source (campaign_responses: the response to the campaign of var
    propensity_campaign; customers: a yes/no column of the customers input), column (the
    customers contract column holding it; null for campaign_responses), name (a label for
    the marts) and direction (favourable: a response, a conversion; adverse: churn,
    default). Fails naming the var and what to set.
#}
{% macro propensity_outcome() %}
    {{ return(adapter.dispatch('propensity_outcome', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__propensity_outcome() %}
    {%- set setting = 'var propensity_outcome' -%}
    {%- set given = var('propensity_outcome', none) -%}
    {%- if given is none -%}
        {%- set given = {} -%}
    {%- endif -%}
    {%- if given is not mapping -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " is " ~ customer_segmentation._shown(given) ~ ": expected a mapping such as "
            ~ "{source: customers, column: churned, name: churn, direction: adverse}, or null for "
            ~ "the campaign response."
        ) }}
    {%- endif -%}
    {%- set known = ['source', 'column', 'name', 'direction'] -%}
    {%- for key in given if key not in known -%}
        {{ exceptions.raise_compiler_error(
            setting ~ " has key '" ~ key ~ "', which is not known: use " ~ known | join(', ') ~ "."
        ) }}
    {%- endfor -%}
    {%- set source = given.get('source') or 'campaign_responses' -%}
    {%- if source not in ['campaign_responses', 'customers'] -%}
        {{ exceptions.raise_compiler_error(
            setting ~ ": source is " ~ customer_segmentation._shown(source)
            ~ ": use campaign_responses (the response to a campaign) or customers (a yes/no "
            ~ "column of the customers input)."
        ) }}
    {%- endif -%}
    {%- set direction = given.get('direction') or 'favourable' -%}
    {%- if direction not in ['favourable', 'adverse'] -%}
        {{ exceptions.raise_compiler_error(
            setting ~ ": direction is " ~ customer_segmentation._shown(direction)
            ~ ": use favourable (a response, a conversion) or adverse (churn, default)."
        ) }}
    {%- endif -%}
    {%- set column = given.get('column') -%}
    {%- if source == 'campaign_responses' -%}
        {%- if column is not none -%}
            {{ exceptions.raise_compiler_error(
                setting ~ ": column is " ~ customer_segmentation._shown(column) ~ " with source "
                ~ "campaign_responses, whose outcome is its responded column (map it with var "
                ~ "input_columns: campaign_responses: responded). Remove column, or set source: customers."
            ) }}
        {%- endif -%}
    {%- else -%}
        {%- if column is none -%}
            {{ exceptions.raise_compiler_error(
                setting ~ ": source customers needs column, the yes/no column of the customers "
                ~ "input holding the outcome, e.g. {source: customers, column: churned}."
            ) }}
        {%- endif -%}
        {%- set column = customer_segmentation.validated_identifiers([column], setting ~ ': column')[0] -%}
        {%- if var('propensity_campaign', none) is not none -%}
            {{ exceptions.raise_compiler_error(
                "var propensity_campaign is '" ~ var('propensity_campaign') ~ "', but " ~ setting
                ~ " has source customers: the model learns the customers column '" ~ column
                ~ "', not a campaign. Set propensity_campaign to null, or source: campaign_responses."
            ) }}
        {%- endif -%}
        {%- set taken = {
            'var customer_profile_columns': var('customer_profile_columns', []),
            'var protected_attributes': var('protected_attributes', []),
        } -%}
        {%- for listing, names in taken.items() if column | lower in names | map('lower') | list -%}
            {{ exceptions.raise_compiler_error(
                setting ~ ": column '" ~ column ~ "' is also listed in " ~ listing
                ~ ": the outcome is what the model predicts, never a feature or a protected "
                ~ "attribute. Remove it from " ~ listing ~ "."
            ) }}
        {%- endfor -%}
        {%- if column | lower in ['customer_id', 'gender', 'birth_date', 'age', 'marital_status', 'has_marketing_consent'] -%}
            {{ exceptions.raise_compiler_error(
                setting ~ ": column '" ~ column ~ "' is a column of the customers contract with "
                ~ "another meaning: name the outcome column otherwise (map it with var input_columns: "
                ~ "customers: <outcome column>: <your column>)."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- set default_name = 'campaign response' if source == 'campaign_responses' else column -%}
    {%- set name = customer_segmentation.validated_text(
        given.get('name') or default_name, setting ~ ': name', 'a label such as churn'
    ) -%}
    {{ return({'source': source, 'column': column, 'name': name | string, 'direction': direction}) }}
{% endmacro %}
