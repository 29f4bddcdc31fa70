"""The served response model, fitted on every contacted customer with the candidate the
out-of-fold evaluation chose, as the plain rows SQL scores every customer from (retrain,
or no model yet); in score mode the registered version, unchanged."""

from customer_segmentation.lifecycle.mode import previous_fit
from customer_segmentation.propensity.lifecycle import PropensityInputs, propensity_step
from customer_segmentation.propensity.scoring import served_candidate, served_model_rows


def model(dbt, session):
    dbt.config(materialized="table")
    inputs = PropensityInputs(
        features=dbt.ref("int_propensity_features"),
        attributes=dbt.ref("int_customer_attributes"),
        campaign=dbt.ref("int_propensity_campaign"),
        preprocessing=dbt.ref("ml_segment_preprocessing"),
        centroids=dbt.ref("ml_segment_centroids"),
    )
    evaluation = dbt.ref("ml_propensity_oof_predictions")
    return propensity_step(
        "ml_propensity_model",
        inputs,
        previous_fit(session, dbt.this),
        dbt.config.get("meta"),
        lambda data, config: served_model_rows(data, config, served_candidate(evaluation)),
    )
