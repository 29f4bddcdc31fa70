"""Fits a 2-component PCA of the standardized features: the loadings of the segment map
(retrain, or no model yet); in score mode returns the registered loadings unchanged."""

from customer_segmentation.frames import read_frame
from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.segmentation.steps import projection_step


def model(dbt, session):
    dbt.config(materialized="table")
    return projection_step(
        params=read_frame(dbt.ref("ml_segment_preprocessing")),
        features=dbt.ref("int_segmentation_population"),
        previous=previous_fit(session, dbt.this),
        meta=dbt.config.get("meta"),
    )
