"""Scores every candidate k and flags the one the configured rule chooses (retrain, or
no model yet); in score mode returns the registered figures unchanged."""

from customer_segmentation.frames import read_frame
from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.segmentation.steps import model_selection_step


def model(dbt, session):
    dbt.config(materialized="table")
    return model_selection_step(
        params=read_frame(dbt.ref("ml_segment_preprocessing")),
        features=dbt.ref("int_segmentation_population"),
        previous=previous_fit(session, dbt.this),
        meta=dbt.config.get("meta"),
    )
