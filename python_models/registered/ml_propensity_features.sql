{{ config(enabled=customer_segmentation.propensity_is_enabled()) }}
{#- The registered fit exported by a DuckDB build (var fit_in_python false). -#}
select * from {{ customer_segmentation.registered_fit('ml_propensity_features') }}
