"""Fits a 2-component PCA of the standardized features: the loadings of the segment map."""

from customer_segmentation.preprocessing import apply_preprocessing, kept_features
from customer_segmentation.projection import fit_projection, loading_table


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    features = dbt.ref("int_customer_features").df().sort_values("customer_id")
    params = dbt.ref("ml_segment_preprocessing").df()
    fitted = fit_projection(
        apply_preprocessing(features, params), kept_features(params), **meta.get("pca", {})
    )
    return loading_table(fitted)
