"""Fits the segmentation model's per-feature impute value, transform, mean and std
(retrain, or no model yet); in score mode returns the registered parameters unchanged."""

from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.segmentation.steps import preprocessing_step


def model(dbt, session):
    dbt.config(materialized="table")
    return preprocessing_step(
        features=dbt.ref("int_segmentation_population"),
        previous=previous_fit(session, dbt.this),
        meta=dbt.config.get("meta"),
    )
