"""Fits K-Means at the chosen k: one row per segment and feature (retrain, or no model
yet); in score mode returns the registered centroids unchanged."""

from customer_segmentation.frames import read_frame
from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.segmentation.steps import centroids_step


def model(dbt, session):
    dbt.config(materialized="table")
    return centroids_step(
        params=read_frame(dbt.ref("ml_segment_preprocessing")),
        selection=read_frame(dbt.ref("ml_segment_model_selection")),
        features=dbt.ref("int_segmentation_population"),
        previous=previous_fit(session, dbt.this),
        meta=dbt.config.get("meta"),
        session=session,
        this=dbt.this,
    )
