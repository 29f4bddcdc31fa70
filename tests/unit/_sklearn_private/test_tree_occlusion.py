"""The one-pass tree reason codes equal the public-API definition on the pinned scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation._sklearn_private.tree_occlusion import TreeOcclusion, _distinct_paths
from customer_segmentation.propensity import blocks
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.learners import fit_propensity
from customer_segmentation.propensity.reasons import (
    group_contributions,
    reference_contributions,
    tree_pass,
)

from ..propensity.synthetic import data, synthetic


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
    trees = tree_pass(fitted, values)
    assert isinstance(trees, TreeOcclusion)
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = reference_contributions(fitted, prepared.features)
    actual = group_contributions(fitted, values, trees)
    np.testing.assert_allclose(actual, expected, atol=1e-12)
    np.testing.assert_array_equal(expected[actual == 0], 0.0)
    assert 0 < (actual == 0).sum() < actual.size


def test_rows_sharing_paths_are_passed_once_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few distinct paths (coarse columns): each path goes through the trees once and
    the result equals every row passed alone: decision_function and brute force."""
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 256)
    frame = synthetic(900, seed=10)
    for column in ["signal", "noise", "spend"]:
        frame[column] = np.floor(frame[column] / frame[column].std()).clip(-1, 1)
    prepared = data(frame, np.where(frame.signal > 0, 2, 1))
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40})
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    values = prepared.features[fitted.columns].to_numpy()
    first, _ = _distinct_paths(fitted.gradient_boosting, values)
    assert first is not None and len(first) < len(values) // 4
    trees = tree_pass(fitted, values)
    assert isinstance(trees, TreeOcclusion)
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = reference_contributions(fitted, prepared.features)
    np.testing.assert_allclose(group_contributions(fitted, values, trees), expected, atol=1e-12)


def test_tree_pass_blocks_and_categorical_splits_equal_brute_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows split into several blocks, and a categorical split (whose reference
    direction the predictor decides on a probe tree) still give brute-force changes."""
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 128)
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
    trees = tree_pass(fitted, values)
    assert isinstance(trees, TreeOcclusion)
    np.testing.assert_array_equal(trees.base, fitted.gradient_boosting.decision_function(values))
    expected = reference_contributions(fitted, prepared.features)
    np.testing.assert_allclose(group_contributions(fitted, values, trees), expected, atol=1e-12)
