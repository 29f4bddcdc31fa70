"""The ``ml_segment_*`` Python models' work: each step scores with its registered table
or fits a new version (``lifecycle.mode.score_or_fit``).

Each function takes what its model read: ``params`` (ml_segment_preprocessing) and
``selection`` (ml_segment_model_selection) as frames; ``features``, int_customer_features,
as ``dbt.ref`` returns it, read only as far as a fit needs (``frames``); ``previous``, the step's
registered table (``lifecycle.mode.previous_fit``) or None; and ``meta``, the model's
``config.meta`` as ``dbt.config.get("meta")`` returns it (None when unset; dbt passes a
model only the config keys whose ``dbt.config.get`` calls it finds in the model file,
and it does not look inside an ``or``). scikit-learn is imported only when a step fits.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer_segmentation.frames import (
    columns_of,
    fetch_rows,
    row_count,
    sample_arguments,
    training_frame,
)
from customer_segmentation.lifecycle import drift, identity
from customer_segmentation.lifecycle.fingerprints import (
    fingerprint,
    frame_fingerprint,
    with_fingerprint,
)
from customer_segmentation.lifecycle.history import previous_version_state
from customer_segmentation.lifecycle.mode import (
    check_feature_configuration,
    check_registered_features,
    check_step_configuration,
    score_or_fit,
)
from customer_segmentation.segmentation.k_range import (
    FEWEST_CUSTOMERS,
    check_customer_count,
    configured_k_range,
)
from customer_segmentation.segmentation.preprocessing import (
    apply_preprocessing,
    feature_specs,
    fit_preprocessing,
    kept_features,
    select_features,
)


def preprocessing_step(
    features: Any, previous: pd.DataFrame | None, meta: dict | None
) -> pd.DataFrame:
    """ml_segment_preprocessing: per-feature impute value, transform, mean and std."""
    meta = meta or {}
    model = "ml_segment_preprocessing"
    available = [column for column in columns_of(features) if column != "customer_id"]

    def specs() -> list:
        protected = meta.get("protected_attributes") or []
        columns = select_features(
            available, meta.get("features"), protected, meta.get("exclude_features")
        )
        return feature_specs(columns, meta.get("feature_preprocessing"))

    def check(registered: pd.DataFrame) -> None:
        check_registered_features(registered, available)
        configured = [(spec.name, spec.impute, spec.transform) for spec in specs()]
        check_feature_configuration(registered, configured)

    def fit() -> pd.DataFrame:
        chosen = specs()
        # customer_id and the features only, in customer order (Arrow for DOUBLE columns)
        frame = training_frame(features, [spec.name for spec in chosen])
        if len(frame) < FEWEST_CUSTOMERS:  # no k can work: say so before any statistic
            k_values = configured_k_range(meta.get("k_selection_overrides"))
            check_customer_count(len(frame), k_values)
        config = {
            key: meta.get(key)
            for key in ("features", "feature_preprocessing")
            + (("exclude_features",) if meta.get("exclude_features") else ())
        }
        training = frame_fingerprint(frame)
        fitted = fit_preprocessing(frame, chosen).assign(training_fingerprint=training)
        return with_fingerprint(fitted, fingerprint(training, config))

    return score_or_fit(previous, meta, model, check, fit)


def model_selection_step(
    params: pd.DataFrame, features: Any, previous: pd.DataFrame | None, meta: dict | None
) -> pd.DataFrame:
    """ml_segment_model_selection: every candidate k scored, the chosen one flagged."""
    meta = meta or {}
    model = "ml_segment_model_selection"
    # the var segment_k_selection overrides the defaults in the YAML, key by key
    selection = {**(meta.get("k_selection") or {}), **(meta.get("k_selection_overrides") or {})}
    upstream = params["fit_fingerprint"].iloc[0]

    def check(registered: pd.DataFrame) -> None:
        settings = "var segment_k_selection, its k_selection"
        check_step_configuration(registered, upstream, selection, model, settings)

    def fit() -> pd.DataFrame:
        from customer_segmentation.segmentation.k_selection import select_k

        k_values = configured_k_range(selection)
        settings = {key: value for key, value in selection.items() if key not in ("k_min", "k_max")}
        rows = fetch_rows(features, kept_features(params), **sample_arguments(settings))
        table = select_k(apply_preprocessing(rows, params), k_values, **settings)
        return with_fingerprint(table, fingerprint(upstream, selection))

    table = score_or_fit(previous, meta, model, check, fit)
    if "choice_reason" not in table.columns:  # registered by an earlier release
        from customer_segmentation.segmentation.k_selection import with_choice

        rule_settings = ("rule", "fixed_k", "min_k", "min_stability")
        table = with_choice(
            table.drop(columns=["is_chosen", "selection_rule"]),
            **{key: selection[key] for key in rule_settings if key in selection},
        )
    return table


def centroids_step(
    params: pd.DataFrame,
    selection: pd.DataFrame,
    features: Any,
    previous: pd.DataFrame | None,
    meta: dict | None,
    session: Any,
    this: Any,
) -> pd.DataFrame:
    """ml_segment_centroids: K-Means at the chosen k, one row per segment and feature;
    a refit keeps the ids of the previous version's segments it clearly continues.
    ``session`` and ``this``: the model's DuckDB connection and relation, from whose
    schema a refit reads the scoring history; the registry is read from meta
    ``registry_schema`` (``lifecycle.history``)."""
    meta = meta or {}
    model = "ml_segment_centroids"
    order_column = meta.get("order_segments_by", "monetary_total")
    settings = {**meta.get("fit", {}), **(meta.get("fit_overrides") or {})}
    config = {"order_segments_by": order_column, "fit": settings}
    upstream = selection["fit_fingerprint"].iloc[0]

    def check(registered: pd.DataFrame) -> None:
        where = "var segment_fit_overrides, its fit and order_segments_by"
        check_step_configuration(registered, upstream, config, model, where)

    def fit() -> pd.DataFrame:
        from customer_segmentation.segmentation.kmeans import centroid_table, fit_segments

        rules = identity.IdentityRules.from_meta(meta.get("identity"))
        ordering = [order_column] if order_column in columns_of(features) else []
        columns = list(dict.fromkeys(["customer_id", *kept_features(params), *ordering]))
        rows = fetch_rows(features, columns, **sample_arguments(settings))
        k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
        order_by = rows[order_column].fillna(0).to_numpy() if ordering else None
        X = apply_preprocessing(rows, params)
        population = row_count(features)
        fitted = fit_segments(X, k, order_by=order_by, population_rows=population, **settings)
        table = with_fingerprint(centroid_table(fitted, params), fingerprint(upstream, config))
        state = previous_version_state(
            session,
            this,
            previous,
            rows.customer_id,
            fitted.labels,
            registry_schema=meta.get("registry_schema"),
        )
        return identity.match_identities(table, previous, rules, *state)

    # a centroid table registered before the identity columns gets them, empty
    return identity.with_identity_columns(score_or_fit(previous, meta, model, check, fit))


def projection_step(
    params: pd.DataFrame, features: Any, previous: pd.DataFrame | None, meta: dict | None
) -> pd.DataFrame:
    """ml_segment_pca: the loadings of a 2-component PCA of the standardized features."""
    meta = meta or {}
    model = "ml_segment_pca"
    pca = meta.get("pca", {})
    upstream = params["fit_fingerprint"].iloc[0]

    def check(registered: pd.DataFrame) -> None:
        check_step_configuration(registered, upstream, pca, model, "its pca")

    def fit() -> pd.DataFrame:
        from customer_segmentation.segmentation.projection import fit_projection, loading_table

        names = kept_features(params)
        rows = fetch_rows(features, names)
        fitted = fit_projection(apply_preprocessing(rows, params), names, **pca)
        return with_fingerprint(loading_table(fitted), fingerprint(upstream, pca))

    return score_or_fit(previous, meta, model, check, fit)


def feature_bins_step(
    preprocessing: pd.DataFrame, features: Any, previous: pd.DataFrame | None, meta: dict | None
) -> pd.DataFrame:
    """ml_segment_feature_bins: the active model's drift baseline, computed with a new
    fit from its training data and reused unchanged by every score-mode build.
    """
    meta = meta or {}
    bins = meta.get("bins", 10)
    version = fingerprint(preprocessing["fit_fingerprint"].iloc[0], bins)
    # the baseline of this preprocessing fit and bin count is already stored
    if previous is not None and previous["fit_fingerprint"].iloc[0] == version:
        return previous
    # the columns the training fingerprint covers, in customer order (as the fit read them)
    names = preprocessing.sort_values("feature_position")["feature_name"].tolist()
    frame = training_frame(features, [name for name in names if name in columns_of(features)])
    drift.check_training_data(frame, preprocessing)
    kept = preprocessing.loc[~preprocessing["is_dropped"].astype(bool)]
    names = kept.sort_values("feature_position")["feature_name"].tolist()
    return with_fingerprint(drift.fit_feature_bins(frame, names, bins), version)
