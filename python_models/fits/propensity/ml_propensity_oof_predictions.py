"""Out-of-fold response scores of every contacted customer, model and baseline (retrain,
or no model yet); in score mode the registered version's evaluation, unchanged."""

from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.propensity.cross_validation import out_of_fold_predictions
from customer_segmentation.propensity.lifecycle import PropensityInputs, propensity_step


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
        "ml_propensity_oof_predictions",
        inputs,
        previous_fit(session, dbt.this),
        dbt.config.get("meta"),
        out_of_fold_predictions,
    )
