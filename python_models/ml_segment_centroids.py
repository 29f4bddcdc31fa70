"""Fits K-Means at the chosen k: one row per segment and feature (retrain, or no model
yet); in score mode returns the registered centroids unchanged."""

from customer_segmentation.frames import fetch_rows, sample_arguments
from customer_segmentation.lifecycle import fingerprints, identity, mode
from customer_segmentation.lifecycle.history import previous_version_state
from customer_segmentation.segmentation.preprocessing import apply_preprocessing, kept_features


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    params = dbt.ref("ml_segment_preprocessing").df()
    selection = dbt.ref("ml_segment_model_selection").df()
    previous = mode.previous_fit(session, dbt.this)
    step = mode.step_mode(meta, previous, "ml_segment_centroids")
    order_column = meta.get("order_segments_by", "monetary_total")
    fit = {**meta.get("fit", {}), **(meta.get("fit_overrides") or {})}
    config = {"order_segments_by": order_column, "fit": fit}
    upstream = selection["fit_fingerprint"].iloc[0]
    if step == "score":
        settings = "var segment_fit_overrides, its fit and order_segments_by"
        mode.check_step_configuration(previous, upstream, config, "ml_segment_centroids", settings)
        return identity.with_identity_columns(previous)
    from customer_segmentation.segmentation.kmeans import centroid_table, fit_segments

    rules = identity.IdentityRules.from_meta(meta.get("identity"))
    relation = dbt.ref("int_customer_features")
    ordering = [order_column] if order_column in relation.columns else []
    columns = list(dict.fromkeys(["customer_id", *kept_features(params), *ordering]))
    features = fetch_rows(relation, columns, **sample_arguments(fit))
    k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    order_by = features[order_column].fillna(0).to_numpy() if ordering else None
    X = apply_preprocessing(features, params)
    population = relation.aggregate("count(*)").fetchall()[0][0]
    fitted = fit_segments(X, k, order_by=order_by, population_rows=population, **fit)
    table = fingerprints.with_fingerprint(
        centroid_table(fitted, params), fingerprints.fingerprint(upstream, config)
    )
    # a refit keeps the ids of the previous version's segments it clearly continues
    state = previous_version_state(session, dbt.this, previous, features.customer_id, fitted.labels)
    return identity.match_identities(table, previous, rules, *state)
