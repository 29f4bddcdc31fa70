"""Out-of-fold response scores of every contacted customer, model and baseline."""

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.cross_validation import out_of_fold_predictions
from customer_segmentation.propensity.data import read_propensity_data


def model(dbt, session):
    dbt.config(materialized="table")
    data = read_propensity_data(
        features=dbt.ref("int_propensity_features"),
        attributes=dbt.ref("int_customer_attributes"),
        campaign=dbt.ref("int_propensity_campaign"),
        preprocessing=dbt.ref("ml_segment_preprocessing"),
        centroids=dbt.ref("ml_segment_centroids"),
        training_only=True,
    )
    return out_of_fold_predictions(data, PropensityConfig.from_meta(dbt.config.get("meta")))
