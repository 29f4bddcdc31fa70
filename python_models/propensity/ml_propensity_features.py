"""The propensity model's columns: one row per feature, with its reason-code group."""

from customer_segmentation.propensity.data import feature_list, read_propensity_data


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
    return feature_list(data)
