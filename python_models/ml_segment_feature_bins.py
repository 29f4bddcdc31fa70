"""Stores the drift baseline of the active segmentation model: its training data cut into
quantile bins per kept feature (customer_segmentation.drift). Computed with a new fit,
from the training data only; reused unchanged by every score-mode build."""

from customer_segmentation import drift, lifecycle


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    preprocessing = dbt.ref("ml_segment_preprocessing").df()
    previous = lifecycle.previous_fit(session, dbt.this)
    bins = meta.get("bins", 10)
    fit_fingerprint = lifecycle.fingerprint(preprocessing["fit_fingerprint"].iloc[0], bins)
    # the baseline of this preprocessing fit and bin count is already stored
    if previous is not None and previous["fit_fingerprint"].iloc[0] == fit_fingerprint:
        return previous
    features = dbt.ref("int_customer_features").order("customer_id").df()
    drift.check_training_data(features, preprocessing)
    kept = preprocessing.loc[~preprocessing["is_dropped"].astype(bool)]
    names = kept.sort_values("feature_position")["feature_name"].tolist()
    baseline = drift.fit_feature_bins(features, names, bins)
    return lifecycle.with_fingerprint(baseline, fit_fingerprint)
