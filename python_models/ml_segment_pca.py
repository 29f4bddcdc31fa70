"""Fits a 2-component PCA of the standardized features: the loadings of the segment map
(retrain, or no model yet); in score mode returns the registered loadings unchanged."""

from customer_segmentation.frames import fetch_rows
from customer_segmentation.lifecycle import fingerprints, mode
from customer_segmentation.segmentation.preprocessing import apply_preprocessing, kept_features


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    params = dbt.ref("ml_segment_preprocessing").df()
    previous = mode.previous_fit(session, dbt.this)
    step = mode.step_mode(meta, previous, "ml_segment_pca")
    pca = meta.get("pca", {})
    upstream = params["fit_fingerprint"].iloc[0]
    if step == "score":
        mode.check_step_configuration(previous, upstream, pca, "ml_segment_pca", "its pca")
        return previous
    from customer_segmentation.segmentation.projection import fit_projection, loading_table

    features = fetch_rows(dbt.ref("int_customer_features"), kept_features(params))
    fitted = fit_projection(apply_preprocessing(features, params), kept_features(params), **pca)
    return fingerprints.with_fingerprint(
        loading_table(fitted), fingerprints.fingerprint(upstream, pca)
    )
