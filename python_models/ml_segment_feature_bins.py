"""Stores the drift baseline of the active segmentation model: its training data cut into
quantile bins per kept feature (customer_segmentation.lifecycle.drift). Computed with a new fit,
from the training data only; reused unchanged by every score-mode build."""

from customer_segmentation.frames import training_frame
from customer_segmentation.lifecycle import drift, fingerprints, mode


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    preprocessing = dbt.ref("ml_segment_preprocessing").df()
    previous = mode.previous_fit(session, dbt.this)
    bins = meta.get("bins", 10)
    fit_fingerprint = fingerprints.fingerprint(preprocessing["fit_fingerprint"].iloc[0], bins)
    # the baseline of this preprocessing fit and bin count is already stored
    if previous is not None and previous["fit_fingerprint"].iloc[0] == fit_fingerprint:
        return previous
    # the columns the training fingerprint covers, in customer order (as the fit read them)
    names = preprocessing.sort_values("feature_position")["feature_name"].tolist()
    relation = dbt.ref("int_customer_features")
    present = [name for name in names if name in relation.columns]
    features = training_frame(relation, present)
    drift.check_training_data(features, preprocessing)
    kept = preprocessing.loc[~preprocessing["is_dropped"].astype(bool)]
    names = kept.sort_values("feature_position")["feature_name"].tolist()
    baseline = drift.fit_feature_bins(features, names, bins)
    return fingerprints.with_fingerprint(baseline, fit_fingerprint)
