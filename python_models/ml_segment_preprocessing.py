"""Fits the segmentation model's per-feature impute value, transform, mean and std
(retrain, or no model yet); in score mode returns the registered parameters unchanged."""

from customer_segmentation.frames import training_frame
from customer_segmentation.lifecycle import fingerprints, mode
from customer_segmentation.segmentation.k_range import (
    FEWEST_CUSTOMERS,
    check_customer_count,
    configured_k_range,
)
from customer_segmentation.segmentation.preprocessing import (
    feature_specs,
    fit_preprocessing,
    select_features,
)


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    relation = dbt.ref("int_customer_features")
    available = [column for column in relation.columns if column != "customer_id"]
    previous = mode.previous_fit(session, dbt.this)
    step = mode.step_mode(meta, previous, "ml_segment_preprocessing")
    if step == "score":
        mode.check_registered_features(previous, available)
    columns = select_features(
        available, meta.get("features"), meta.get("protected_attributes") or []
    )
    specs = feature_specs(columns, meta.get("feature_preprocessing"))
    if step == "score":
        configured = [(spec.name, spec.impute, spec.transform) for spec in specs]
        mode.check_feature_configuration(previous, configured)
        return previous
    # customer_id and the features only, in customer order (Arrow for DOUBLE columns)
    features = training_frame(relation, columns)
    if len(features) < FEWEST_CUSTOMERS:  # no k can work: say so before any statistic
        k_values = configured_k_range(meta.get("k_selection_overrides"))
        check_customer_count(len(features), k_values)
    config = {key: meta.get(key) for key in ("features", "feature_preprocessing")}
    training = fingerprints.frame_fingerprint(features)
    fitted = fit_preprocessing(features, specs).assign(training_fingerprint=training)
    return fingerprints.with_fingerprint(fitted, fingerprints.fingerprint(training, config))
