{{ config(enabled=not customer_segmentation.fits_in_python()) }}
{#- The registered fit exported by a DuckDB build (var fit_in_python false). -#}
select * from {{ customer_segmentation.registered_fit('ml_segment_feature_bins') }}
