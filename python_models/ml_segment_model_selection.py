"""Scores every candidate k and flags the one the configured rule chooses (retrain, or
no model yet); in score mode returns the registered figures unchanged."""

from customer_segmentation.frames import fetch_rows, sample_arguments
from customer_segmentation.lifecycle import fingerprints, mode
from customer_segmentation.segmentation.preprocessing import apply_preprocessing, kept_features


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    params = dbt.ref("ml_segment_preprocessing").df()
    previous = mode.previous_fit(session, dbt.this)
    step = mode.step_mode(meta, previous, "ml_segment_model_selection")
    # the var segment_k_selection overrides the defaults in the YAML, key by key
    selection = {**(meta.get("k_selection") or {}), **(meta.get("k_selection_overrides") or {})}
    config = dict(selection)
    upstream = params["fit_fingerprint"].iloc[0]
    if step == "score":
        settings = "var segment_k_selection, its k_selection"
        mode.check_step_configuration(
            previous, upstream, config, "ml_segment_model_selection", settings
        )
        return previous
    from customer_segmentation.segmentation.k_range import configured_k_range
    from customer_segmentation.segmentation.k_selection import select_k

    k_values = configured_k_range(selection)
    selection = {key: value for key, value in selection.items() if key not in ("k_min", "k_max")}
    relation = dbt.ref("int_customer_features")
    features = fetch_rows(relation, kept_features(params), **sample_arguments(selection))
    table = select_k(apply_preprocessing(features, params), k_values, **selection)
    return fingerprints.with_fingerprint(table, fingerprints.fingerprint(upstream, config))
