"""The propensity model's columns: one row per feature, with its reason-code group
(retrain, or no model yet); in score mode the registered version's, unchanged."""

from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.propensity.lifecycle import (
    PropensityInputs,
    fit_feature_list,
    propensity_step,
)


def model(dbt, session):
    dbt.config(materialized="table")
    inputs = PropensityInputs(
        features=dbt.ref("int_propensity_features"),
        attributes=dbt.ref("int_customer_attributes"),
        campaign=dbt.ref("int_propensity_campaign"),
        preprocessing=dbt.ref("ml_segment_preprocessing"),
        centroids=dbt.ref("ml_segment_centroids"),
    )
    return propensity_step(
        "ml_propensity_features",
        inputs,
        previous_fit(session, dbt.this),
        dbt.config.get("meta"),
        fit_feature_list,
    )
