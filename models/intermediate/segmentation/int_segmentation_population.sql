{#- The customers the K-Means model is fitted on and scores: every customer with every
    feature family the model uses (int_customer_feature_families.is_clustered). The
    columns are those of int_customer_features, so every column but customer_id is a
    candidate feature. -#}

with features as (

    select * from {{ ref('int_customer_features') }}

),

families as (

    select * from {{ ref('int_customer_feature_families') }}

),

clustered as (

    select features.*
    from features
    inner join families
        on features.customer_id = families.customer_id
    where families.is_clustered

)

select * from clustered
