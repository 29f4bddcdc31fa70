"""Fits the segmentation model's per-feature impute value, transform, mean and std."""

from customer_segmentation.preprocessing import feature_specs, fit_preprocessing, select_features


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    features = dbt.ref("int_customer_features").order("customer_id").df()
    columns = select_features(
        [column for column in features.columns if column != "customer_id"],
        meta.get("features"),
        meta.get("protected_attributes") or [],
    )
    specs = feature_specs(columns, meta.get("feature_preprocessing"))
    return fit_preprocessing(features, specs)
