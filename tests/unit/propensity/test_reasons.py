"""Reason codes: the definition (public API only), the top picks, and the fast
computation from the registered rows equal to the definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import PropensityData
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.learners import FittedPropensity, fit_propensity
from customer_segmentation.propensity.reasons import reference_contributions, top_reasons
from customer_segmentation.propensity.registered import registered_reason_codes

from .synthetic import FAST, data, synthetic


def registered(
    fitted: FittedPropensity, prepared: PropensityData, top: int = 3, rows: slice = slice(None)
) -> pd.DataFrame:
    """The reason codes of ``rows`` of the customers from ``fitted``'s registered rows."""
    design = prepared.features.assign(customer_id=prepared.customer_ids).iloc[rows]
    return registered_reason_codes(design, model_rows(fitted, prepared), top)


def positive_part(reasons: pd.DataFrame, names: list[str]) -> np.ndarray:
    """Rows x groups: each group's contribution where it is a reason, else 0 (reasons
    listing every group: each positive contribution)."""
    result = np.zeros((len(reasons), len(names)))
    rank = 1
    while f"reason_{rank}_feature" in reasons:
        features = reasons[f"reason_{rank}_feature"].to_numpy()
        values = reasons[f"reason_{rank}_contribution"].to_numpy()
        for index, name in enumerate(names):
            result[features == name, index] = values[features == name]
        rank += 1
    return result


def test_reason_contribution_is_the_log_odds_change_to_the_reference() -> None:
    prepared = data(synthetic())
    fitted = fit_propensity(prepared.training_features, prepared.target, FAST, prepared.groups)
    row = prepared.features.iloc[[0]]
    reasons = registered(fitted, prepared, rows=slice(0, 1))
    assert reasons.customer_id.tolist() == [prepared.customer_ids[0]]
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
def test_registered_contributions_equal_brute_force_occlusion(served: str) -> None:
    """Every positive contribution of every group from the registered rows equals the
    definition's (the trees' rows left at exactly 0: ``test_tree_occlusion``)."""
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
    names = list(fitted.groups)
    expected = reference_contributions(fitted, prepared.features)
    actual = positive_part(registered(fitted, prepared, top=len(names)), names)
    np.testing.assert_allclose(actual, np.where(expected > 1e-12, expected, 0.0), atol=1e-9)
    # every group is a reason for some customers and not for others
    assert ((actual > 0).sum(axis=0) > 0).all() and ((actual == 0).sum(axis=0) > 0).all()
