"""Fits K-Means at the chosen k: one row per segment and feature."""

from customer_segmentation.clustering import centroid_table, fit_segments
from customer_segmentation.preprocessing import apply_preprocessing


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    features = dbt.ref("int_customer_features").order("customer_id").df()
    params = dbt.ref("ml_segment_preprocessing").df()
    selection = dbt.ref("ml_segment_model_selection").df()
    k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    order_column = meta.get("order_segments_by", "monetary_total")
    order_by = features[order_column].fillna(0).to_numpy() if order_column in features else None
    fitted = fit_segments(
        apply_preprocessing(features, params), k, order_by=order_by, **meta.get("fit", {})
    )
    return centroid_table(fitted, params)
