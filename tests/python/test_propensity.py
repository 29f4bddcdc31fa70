"""The propensity library on small synthetic data (fast, no dbt)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.propensity import (
    PropensityConfig,
    _distinct_paths,
    _group_positions,
    _TreeOcclusion,
    assign_segments,
    evaluation_sample,
    feature_list,
    final_scores,
    fit_propensity,
    group_contributions,
    out_of_fold_predictions,
    prepare_propensity_data,
    read_feature_rows,
    reason_codes,
    top_reasons,
)

FAST = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30})


def synthetic(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Response driven by 'signal' only; 'noise' is unrelated; 60% contacted."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    responded = rng.random(n) < 1 / (1 + np.exp(-(2.5 * signal - 2.0)))
    contacted = rng.random(n) < 0.6
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "is_training": contacted,
            "has_responded": np.where(contacted, responded, None),
            "signal": signal,
            "noise": rng.normal(size=n),
            "spend": np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2.0, 50.0, n)),
        }
    )


def data(frame: pd.DataFrame, segments: np.ndarray | None = None):
    return prepare_propensity_data(frame, ["gender", "age_band"], "K1", segments)


def test_out_of_fold_predictions_cover_each_training_customer_once_per_model() -> None:
    frame = synthetic()
    oof = out_of_fold_predictions(data(frame), FAST)
    contacted = int(frame.is_training.sum())
    assert len(oof) == 2 * contacted
    assert set(oof.model_name) == {"gradient_boosting", "logistic_baseline"}
    assert oof.groupby("model_name").customer_id.nunique().eq(contacted).all()
    assert oof.loc[oof.is_served, "model_name"].unique().tolist() == ["gradient_boosting"]
    assert sorted(oof.fold.unique()) == [1, 2, 3]
    assert oof.oof_score.between(0, 1).all()


def test_out_of_fold_predictions_are_deterministic_and_order_free() -> None:
    frame = synthetic()
    first = out_of_fold_predictions(data(frame), FAST)
    shuffled = frame.sample(frac=1.0, random_state=3)
    second = out_of_fold_predictions(data(shuffled), FAST)
    pd.testing.assert_frame_equal(first, second)


def test_threads_change_neither_folds_nor_reason_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folds and blocks of the reason-code pass in two threads give exactly what one
    thread gives (each writes only its own rows, results kept in order)."""
    import customer_segmentation.propensity as propensity

    monkeypatch.setattr(propensity, "_BLOCK_ROWS", 64)
    prepared = data(synthetic(900, seed=4))
    results = {}
    for threads in (1, 2):
        monkeypatch.setattr(propensity, "_THREADS", threads)
        results[threads] = (
            out_of_fold_predictions(prepared, FAST),
            final_scores(prepared, FAST),
        )
    for one_thread, two_threads in zip(results[1], results[2], strict=True):
        pd.testing.assert_frame_equal(one_thread, two_threads, check_exact=True)


def test_out_of_fold_fits_stop_early_when_the_served_fit_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """scikit-learn's early_stopping "auto" is decided from every training row, so folds
    below 10,000 rows stop early like the served model above it; set, it is kept."""
    import customer_segmentation.propensity as propensity

    assert propensity._learners(FAST, 12_000)[0].early_stopping is True
    assert propensity._learners(FAST, 9_000)[0].early_stopping is False
    fixed = PropensityConfig(gradient_boosting={"early_stopping": False})
    assert propensity._learners(fixed, 12_000)[0].early_stopping is False

    seen = []
    learners = propensity._learners

    def recording(config: PropensityConfig, training_rows: int) -> tuple:
        seen.append(training_rows)
        return learners(config, training_rows)

    monkeypatch.setattr(propensity, "_learners", recording)
    prepared = data(synthetic(600))
    out_of_fold_predictions(prepared, FAST)
    assert seen == [len(prepared.target)] * FAST.folds


def test_models_learn_the_signal_and_scores_are_prior_corrected() -> None:
    from sklearn.metrics import roc_auc_score

    frame = synthetic(1500)
    oof = out_of_fold_predictions(data(frame), FAST)
    for name, group in oof.groupby("model_name"):
        assert roc_auc_score(group.has_responded, group.oof_score) > 0.8, name
    baseline = oof[oof.model_name == "logistic_baseline"]
    # balanced weights would centre scores near 0.5; the correction brings them back
    assert abs(baseline.oof_score.mean() - baseline.has_responded.mean()) < 0.05


def test_blend_is_served_when_weighted() -> None:
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30}, blend_weight=0.5)
    oof = out_of_fold_predictions(data(synthetic()), config)
    assert set(oof.model_name) == {"gradient_boosting", "logistic_baseline", "blend"}
    assert oof.loc[oof.is_served, "model_name"].unique().tolist() == ["blend"]


def test_final_scores_every_customer_with_reasons() -> None:
    frame = synthetic()
    scores = final_scores(data(frame), FAST)
    assert len(scores) == len(frame)
    assert scores.customer_id.is_unique
    assert scores.propensity_score.between(0, 1).all()
    high = scores.merge(frame[["customer_id", "signal"]]).nlargest(20, "propensity_score")
    # the customers scored highest are high because of the signal
    assert (high.reason_1_feature == "signal").mean() >= 0.9
    assert (high.reason_1_contribution > 0).all()
    assert (high.reason_1_contribution >= high.reason_2_contribution.fillna(0)).all()


def test_reason_contribution_is_the_log_odds_change_to_the_reference() -> None:
    prepared = data(synthetic())
    fitted = fit_propensity(prepared.training_features, prepared.target, FAST, prepared.groups)
    row = prepared.features.iloc[[0]]
    reasons = reason_codes(fitted, row)
    feature = reasons.reason_1_feature.iloc[0]
    changed = row.copy()
    changed[feature] = fitted.reference[feature]
    expected = (
        fitted.log_odds(row)["gradient_boosting"] - fitted.log_odds(changed)["gradient_boosting"]
    )
    assert reasons.reason_1_contribution.iloc[0] == pytest.approx(expected[0])


def test_top_reasons_follow_a_stable_sort_and_keep_only_positive_changes() -> None:
    """Largest first, the group listed first among equals, as a stable descending sort
    orders them; a change <= 0 is no reason (null)."""
    rng = np.random.default_rng(3)
    contributions = rng.integers(-2, 3, size=(500, 6)).astype("float64") / 4  # many ties
    names = [f"group_{i}" for i in range(6)]
    reasons = top_reasons(contributions.copy(), names, top=3)
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :3]
    rows = np.arange(len(contributions))
    for rank in range(3):
        value = contributions[rows, order[:, rank]]
        positive = value > 0
        expected = np.where(positive, np.asarray(names, dtype=object)[order[:, rank]], None)
        assert (reasons[f"reason_{rank + 1}_feature"] == expected).all()
        np.testing.assert_array_equal(
            reasons[f"reason_{rank + 1}_contribution"], np.where(positive, value, np.nan)
        )
    assert list(top_reasons(contributions[:, :2].copy(), names[:2], top=3)) == [
        "reason_1_feature",
        "reason_1_contribution",
        "reason_2_feature",
        "reason_2_contribution",
    ]


def test_linear_input_in_blocks_equals_the_pipeline_transform(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The logistic model's input computed block by block is the pipeline's own
    transform of all rows at once, to the bit."""
    import customer_segmentation.propensity as propensity

    prepared = data(synthetic(n=2_000))
    fitted = fit_propensity(prepared.training_features, prepared.target, FAST, prepared.groups)
    values = prepared.features[fitted.columns].to_numpy()
    monkeypatch.setattr(propensity, "_BLOCK_ROWS", 300)  # 7 blocks, the last one partial
    np.testing.assert_array_equal(
        fitted.linear_input(values), fitted.logistic[:-1].transform(values)
    )


def brute_force_contributions(fitted, features: pd.DataFrame) -> np.ndarray:
    """The reason-code definition computed naively: re-predict every row once per group
    with that group set to its reference value."""
    served = fitted.served_model
    base = fitted.log_odds(features)[served]
    columns = []
    for group in fitted.groups.values():
        changed = features.copy()
        for column in group:
            changed[column] = fitted.reference[column]
        columns.append(base - fitted.log_odds(changed)[served])
    return np.column_stack(columns)


@pytest.mark.parametrize("blend_weight", [0.0, 0.5, 1.0])
def test_group_contributions_equal_brute_force_occlusion(blend_weight: float) -> None:
    frame = synthetic(800, seed=4)
    rng = np.random.default_rng(5)
    # low-cardinality and mostly-missing columns: many rows share the reference's path
    frame["visits"] = rng.integers(0, 4, len(frame)).astype(float)
    frame["last_response"] = np.where(rng.random(len(frame)) < 0.7, np.nan, frame.signal > 0)
    segments = np.where(frame.signal > 0.8, 3, np.where(frame.noise > 0, 2, 1))
    prepared = data(frame, segments)
    config = PropensityConfig(
        folds=3, gradient_boosting={"max_iter": 40}, blend_weight=blend_weight
    )
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    expected = brute_force_contributions(fitted, prepared.features)
    actual = group_contributions(fitted, prepared.features)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)
    if blend_weight == 0.0:
        # trees only: rows proven not to change (left at 0, not re-predicted) are rows
        # whose brute-force contribution is exactly 0; the filter skips some, not all
        skipped = actual == 0
        np.testing.assert_array_equal(expected[skipped], 0.0)
        visits = list(fitted.groups).index("visits")
        assert 0 < skipped[:, visits].sum() < len(frame)


def test_tree_pass_gives_decision_function_scores_and_brute_force_changes() -> None:
    """Coarse values (many rows share the reference's leaves): the base log-odds of the
    one pass over the trees are bit-identical to decision_function, the changes equal
    brute force, and rows left at exactly 0 (no leaf changes) are 0 by brute force."""
    frame = synthetic(900, seed=6)
    for column in ["signal", "noise", "spend"]:
        frame[column] = frame[column].round(-1 if column == "spend" else 0)
    prepared = data(frame, np.where(frame.signal > 0, 2, 1))
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40})
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    values = prepared.features[fitted.columns].to_numpy()
    trees = _TreeOcclusion(fitted, values, _group_positions(fitted))
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = brute_force_contributions(fitted, prepared.features)
    actual = group_contributions(fitted, values, trees)
    np.testing.assert_allclose(actual, expected, atol=1e-12)
    np.testing.assert_array_equal(expected[actual == 0], 0.0)
    assert 0 < (actual == 0).sum() < actual.size


def test_rows_sharing_paths_are_passed_once_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few distinct paths (coarse columns): each path goes through the trees once and
    the result equals every row passed alone: decision_function and brute force."""
    import customer_segmentation.propensity as propensity

    monkeypatch.setattr(propensity, "_BLOCK_ROWS", 256)
    frame = synthetic(900, seed=10)
    for column in ["signal", "noise", "spend"]:
        frame[column] = np.floor(frame[column] / frame[column].std()).clip(-1, 1)
    prepared = data(frame, np.where(frame.signal > 0, 2, 1))
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40})
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    values = prepared.features[fitted.columns].to_numpy()
    first, _ = _distinct_paths(fitted.gradient_boosting, values)
    assert first is not None and len(first) < len(values) // 4
    trees = _TreeOcclusion(fitted, values, _group_positions(fitted))
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = brute_force_contributions(fitted, prepared.features)
    np.testing.assert_allclose(group_contributions(fitted, values, trees), expected, atol=1e-12)


def test_tree_pass_blocks_and_categorical_splits_equal_brute_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows split into several blocks, and a categorical split (whose reference
    direction the predictor decides on a probe tree) still give brute-force changes."""
    import customer_segmentation.propensity as propensity

    monkeypatch.setattr(propensity, "_BLOCK_ROWS", 128)
    frame = synthetic(700, seed=8)
    frame["channel"] = (np.arange(len(frame)) * 7 % 5).astype(float)
    frame.loc[frame.index[::11], "channel"] = np.nan
    prepared = data(frame)
    channel = list(prepared.features.columns).index("channel")
    config = PropensityConfig(
        folds=3, gradient_boosting={"max_iter": 40, "categorical_features": [channel]}
    )
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    nodes = np.concatenate([p.nodes for i in fitted.gradient_boosting._predictors for p in i])
    assert nodes["is_categorical"][nodes["is_leaf"] == 0].any()
    values = prepared.features[fitted.columns].to_numpy()
    trees = _TreeOcclusion(fitted, values, _group_positions(fitted))
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = brute_force_contributions(fitted, prepared.features)
    np.testing.assert_allclose(group_contributions(fitted, values, trees), expected, atol=1e-12)


def test_reading_contacted_rows_in_database_order_gives_the_same_results() -> None:
    """The Python models read the feature table ordered in DuckDB, the out-of-fold and
    feature-list models only its contacted rows: every output equals the one computed
    from the whole table read in any order."""
    import duckdb

    frame = synthetic(600, seed=9).sample(frac=1.0, random_state=1)
    rng = np.random.default_rng(2)
    visits = pd.array(rng.integers(0, 5, len(frame)), dtype="Int64")
    visits[rng.random(len(frame)) < 0.2] = pd.NA  # a nullable integer column
    frame["visits"] = visits
    frame["has_responded"] = frame["has_responded"].astype("boolean")
    segments = lambda table: np.where(table.signal.to_numpy() > 0, 2, 1)  # noqa: E731
    with duckdb.connect() as connection:
        relation = connection.from_df(frame)
        whole = relation.df()
        contacted = read_feature_rows(relation, training_only=True)
        everyone = read_feature_rows(relation)
        with pytest.raises(ValueError, match=r"lacks columns \['is_training'\]"):
            read_feature_rows(relation.project("customer_id, has_responded, signal"))
    assert contacted.is_training.all() and len(contacted) == frame.is_training.sum()
    assert contacted.customer_id.is_monotonic_increasing
    full, part = data(whole, segments(whole)), data(contacted, segments(contacted))
    pd.testing.assert_frame_equal(
        out_of_fold_predictions(full, FAST), out_of_fold_predictions(part, FAST), check_exact=True
    )
    pd.testing.assert_frame_equal(feature_list(full), feature_list(part), check_exact=True)
    pd.testing.assert_frame_equal(
        final_scores(full, FAST),
        final_scores(data(everyone, segments(everyone)), FAST),
        check_exact=True,
    )


def test_segments_become_one_reason_group() -> None:
    frame = synthetic()
    segments = np.where(frame.signal > 0.5, 2, 1)
    prepared = data(frame, segments)
    assert prepared.groups["segment_id"] == ["segment_1", "segment_2"]
    listed = feature_list(prepared)
    assert listed.feature_group.tolist().count("segment_id") == 2
    assert listed.feature_position.tolist() == list(range(1, len(listed) + 1))


def test_assign_segments_picks_the_nearest_centroid() -> None:
    frame = pd.DataFrame({"x": [0.0, 10.0, None], "y": [0.0, 10.0, 1.0]})
    preprocessing = pd.DataFrame(
        {
            "feature_name": ["x", "y"],
            "feature_position": [1, 2],
            "impute_value": [0.0, 0.0],
            "transform": ["none", "none"],
            "mean": [0.0, 0.0],
            "std_dev": [1.0, 1.0],
            "is_dropped": [False, False],
        }
    )
    centroids = pd.DataFrame(
        {
            "segment_id": [1, 1, 2, 2],
            "feature_name": ["x", "y", "x", "y"],
            "centroid_scaled": [9.0, 9.0, 1.0, 1.0],
        }
    )
    assert assign_segments(frame, preprocessing, centroids).tolist() == [2, 1, 2]


def test_protected_attribute_is_refused_as_a_feature() -> None:
    frame = synthetic().assign(gender="F")
    with pytest.raises(ValueError, match=r"protected attributes \['gender'\]"):
        data(frame)


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ("none", "has only non-responders"),
        ("all", "has only responders"),
        ("two", "2 responders, fewer than folds = 3"),
    ],
)
def test_unlearnable_targets_fail_naming_the_campaign(responses: str, message: str) -> None:
    frame = synthetic()
    contacted = frame.is_training
    value = {"none": False, "all": True, "two": False}[responses]
    frame.loc[contacted, "has_responded"] = value
    if responses == "two":
        frame.loc[frame.index[contacted][:2], "has_responded"] = True
    with pytest.raises(ValueError, match=message) as error:
        out_of_fold_predictions(data(frame), FAST)
    assert "target campaign 'K1'" in str(error.value)


def test_configuration_is_validated() -> None:
    with pytest.raises(ValueError, match="folds"):
        PropensityConfig(folds=1)
    with pytest.raises(ValueError, match="not known"):
        PropensityConfig.from_meta({"propensity": {"fold": 5}})
    assert PropensityConfig.from_meta({"propensity": {"folds": 4}}).folds == 4


def test_a_feature_unknown_for_every_training_row_is_left_out() -> None:
    frame = synthetic().assign(last_campaign_responded=np.nan)
    frame.loc[~frame.is_training, "last_campaign_responded"] = 1.0
    prepared = data(frame)
    assert "last_campaign_responded" not in prepared.features.columns
    assert len(out_of_fold_predictions(prepared, FAST)) == 2 * frame.is_training.sum()


def test_evaluation_sample_is_a_fixed_stratified_subset_above_the_cap() -> None:
    target = (np.arange(1000) % 8 == 0).astype(int)  # 125 responders
    config = PropensityConfig(folds=5, oof_max_rows=200)
    sample = evaluation_sample(target, config)
    assert len(sample) == 200 and len(set(sample)) == 200
    assert np.all(np.diff(sample) > 0)
    assert target[sample].sum() == 25  # the response share, 1/8
    np.testing.assert_array_equal(sample, evaluation_sample(target, config))
    uncapped = evaluation_sample(target, PropensityConfig(folds=5, oof_max_rows=1000))
    np.testing.assert_array_equal(uncapped, np.arange(1000))


def test_capped_out_of_fold_evaluation_scores_the_sample_and_final_scores_everyone() -> None:
    frame = synthetic(1000)
    prepared = data(frame)
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30}, oof_max_rows=300)
    oof = out_of_fold_predictions(prepared, config)
    assert oof.groupby("model_name").size().eq(300).all()
    sampled = prepared.customer_ids[prepared.is_training][
        evaluation_sample(prepared.target, config)
    ]
    assert set(oof.customer_id) == set(sampled)
    full = out_of_fold_predictions(
        prepared, PropensityConfig(folds=3, gradient_boosting={"max_iter": 30})
    )
    assert len(full) == 2 * prepared.is_training.sum()
    scores = final_scores(prepared, config)
    assert len(scores) == len(frame)
    training = scores[scores.is_training]
    assert training.has_responded.notna().all()
    assert scores.loc[~scores.is_training, "has_responded"].isna().all()
    assert training.has_responded.astype(int).tolist() == prepared.target.tolist()


def test_oof_max_rows_is_validated() -> None:
    with pytest.raises(ValueError, match="oof_max_rows is 5: use null"):
        PropensityConfig(folds=5, oof_max_rows=5)
