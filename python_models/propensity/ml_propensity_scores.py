"""Refits on every contacted customer and scores every customer with the candidate the
out-of-fold evaluation chose, with reason codes."""

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import read_propensity_data
from customer_segmentation.propensity.scoring import final_scores, served_candidate


def model(dbt, session):
    dbt.config(materialized="table")
    data = read_propensity_data(
        features=dbt.ref("int_propensity_features"),
        attributes=dbt.ref("int_customer_attributes"),
        campaign=dbt.ref("int_propensity_campaign"),
        preprocessing=dbt.ref("ml_segment_preprocessing"),
        centroids=dbt.ref("ml_segment_centroids"),
    )
    served = served_candidate(dbt.ref("ml_propensity_oof_predictions"))
    return final_scores(data, PropensityConfig.from_meta(dbt.config.get("meta")), served)
