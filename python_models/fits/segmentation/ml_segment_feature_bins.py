"""Stores the drift baseline of the active segmentation model: its training data cut into
quantile bins per kept feature (customer_segmentation.lifecycle.drift). Computed with a
new fit, from the training data only; reused unchanged by every score-mode build."""

from customer_segmentation.frames import read_frame
from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.segmentation.steps import feature_bins_step


def model(dbt, session):
    dbt.config(materialized="table")
    return feature_bins_step(
        preprocessing=read_frame(dbt.ref("ml_segment_preprocessing")),
        features=dbt.ref("int_segmentation_population"),
        previous=previous_fit(session, dbt.this),
        meta=dbt.config.get("meta"),
    )
