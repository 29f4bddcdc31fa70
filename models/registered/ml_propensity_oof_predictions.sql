{{ config(enabled=not customer_segmentation.fits_in_python() and customer_segmentation.propensity_is_enabled()) }}
{#- The registered fit exported by a DuckDB build (var fit_in_python false). -#}
select * from {{ customer_segmentation.registered_fit('ml_propensity_oof_predictions') }}
