"""Reason codes: the definition (public API only), the exact fast computation, the top picks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.propensity import reasons as reason_module
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.learners import fit_propensity
from customer_segmentation.propensity.reasons import (
    group_contributions,
    reason_codes,
    reference_contributions,
    top_reasons,
)
from customer_segmentation.propensity.scoring import final_scores

from .synthetic import FAST, data, synthetic


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


@pytest.mark.parametrize("served", ["gradient_boosting", "blend", "logistic_baseline"])
def test_group_contributions_equal_brute_force_occlusion(served: str) -> None:
    frame = synthetic(800, seed=4)
    rng = np.random.default_rng(5)
    # low-cardinality and mostly-missing columns: many rows share the reference's path
    frame["visits"] = rng.integers(0, 4, len(frame)).astype(float)
    frame["last_response"] = np.where(rng.random(len(frame)) < 0.7, np.nan, frame.signal > 0)
    segments = np.where(frame.signal > 0.8, 3, np.where(frame.noise > 0, 2, 1))
    prepared = data(frame, segments)
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40}, blend_weight=0.5)
    fitted = fit_propensity(
        prepared.training_features, prepared.target, config, prepared.groups, served=served
    )
    expected = reference_contributions(fitted, prepared.features)
    actual = group_contributions(fitted, prepared.features)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-9)
    if served == "gradient_boosting":
        # trees only: rows proven not to change (left at 0, not re-predicted) are rows
        # whose brute-force contribution is exactly 0; the filter skips some, not all
        skipped = actual == 0
        np.testing.assert_array_equal(expected[skipped], 0.0)
        visits = list(fitted.groups).index("visits")
        assert 0 < skipped[:, visits].sum() < len(frame)


def test_outside_the_tested_scikit_learn_reasons_come_from_the_definition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another scikit-learn than the tested one takes the public-API path: the same
    scores and reason codes as the one-pass trees (to rounding)."""
    frame = synthetic(700, seed=11)
    prepared = data(frame, np.where(frame.signal > 0, 2, 1))
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40}, blend_weight=0.3)
    fast = final_scores(prepared, config, "blend")
    fitted = fit_propensity(
        prepared.training_features, prepared.target, config, prepared.groups, served="blend"
    )
    one_pass = group_contributions(fitted, prepared.features)
    monkeypatch.setattr(reason_module, "is_tested_version", lambda: False)
    assert reason_module.tree_pass(fitted, prepared.features.to_numpy()) is None
    np.testing.assert_array_equal(
        group_contributions(fitted, prepared.features),
        reference_contributions(fitted, prepared.features),
    )
    np.testing.assert_allclose(
        group_contributions(fitted, prepared.features), one_pass, rtol=0, atol=1e-9
    )
    public = final_scores(prepared, config, "blend")
    features = [column for column in fast.columns if column.endswith("_feature")]
    pd.testing.assert_frame_equal(public[features], fast[features])
    pd.testing.assert_frame_equal(
        public.drop(columns=features), fast.drop(columns=features), rtol=0, atol=1e-9
    )
