"""The propensity model's columns: one row per feature, with its reason-code group."""

from customer_segmentation.propensity.data import (
    feature_list,
    propensity_data_from_tables,
    read_feature_rows,
)


def model(dbt, session):
    dbt.config(materialized="table")
    data = propensity_data_from_tables(
        features=read_feature_rows(dbt.ref("int_propensity_features"), training_only=True),
        attributes=dbt.ref("int_customer_attributes").limit(0).df(),
        campaign=dbt.ref("int_propensity_campaign").df(),
        preprocessing=dbt.ref("ml_segment_preprocessing").df(),
        centroids=dbt.ref("ml_segment_centroids").df(),
    )
    return feature_list(data)
