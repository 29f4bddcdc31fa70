"""Refits on every contacted customer and scores every customer, with reason codes."""

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import propensity_data_from_tables, read_feature_rows
from customer_segmentation.propensity.scoring import final_scores


def model(dbt, session):
    dbt.config(materialized="table")
    data = propensity_data_from_tables(
        features=read_feature_rows(dbt.ref("int_propensity_features")),
        attributes=dbt.ref("int_customer_attributes").limit(0).df(),
        campaign=dbt.ref("int_propensity_campaign").df(),
        preprocessing=dbt.ref("ml_segment_preprocessing").df(),
        centroids=dbt.ref("ml_segment_centroids").df(),
    )
    return final_scores(data, PropensityConfig.from_meta(dbt.config.get("meta")))
