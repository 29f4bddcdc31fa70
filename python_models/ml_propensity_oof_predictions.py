"""Out-of-fold response scores of every contacted customer, model and baseline."""

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.cross_validation import out_of_fold_predictions
from customer_segmentation.propensity.data import propensity_data_from_tables, read_feature_rows


def model(dbt, session):
    dbt.config(materialized="table")
    data = propensity_data_from_tables(
        features=read_feature_rows(dbt.ref("int_propensity_features"), training_only=True),
        attributes=dbt.ref("int_customer_attributes").limit(0).df(),
        campaign=dbt.ref("int_propensity_campaign").df(),
        preprocessing=dbt.ref("ml_segment_preprocessing").df(),
        centroids=dbt.ref("ml_segment_centroids").df(),
    )
    return out_of_fold_predictions(data, PropensityConfig.from_meta(dbt.config.get("meta")))
