"""Scores every candidate k and flags the one the configured rule chooses."""

from customer_segmentation.clustering import k_range, select_k
from customer_segmentation.preprocessing import apply_preprocessing


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    features = dbt.ref("int_customer_features").order("customer_id").df()
    params = dbt.ref("ml_segment_preprocessing").df()
    # the var segment_k_selection overrides the defaults in the YAML, key by key
    selection = {**(meta.get("k_selection") or {}), **(meta.get("k_selection_overrides") or {})}
    k_values = k_range(selection.pop("k_min", 3), selection.pop("k_max", 10))
    return select_k(apply_preprocessing(features, params), k_values, **selection)
