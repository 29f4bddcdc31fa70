"""The one-pass tree reason codes equal the public-API definition on the pinned
scikit-learn: on a fitted model's trees and on the trees rebuilt from its rows."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation._sklearn_private.tree_export import RegisteredTrees, tree_nodes
from customer_segmentation._sklearn_private.tree_occlusion import TreeOcclusion, _distinct_paths
from customer_segmentation.propensity import blocks
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.learners import FittedPropensity, fit_propensity
from customer_segmentation.propensity.reasons import reference_contributions

from ..propensity.synthetic import data, synthetic


def occlusions(fitted: FittedPropensity, values: np.ndarray) -> dict[str, TreeOcclusion]:
    """The one pass over the fitted trees, and over the trees rebuilt from their
    ``tree_nodes`` rows, with every group against its reference value."""
    reference = fitted.reference[fitted.columns].to_numpy(dtype="float64")[None, :]
    columns = {
        group: [fitted.columns.index(column) for column in group_columns]
        for group, group_columns in fitted.groups.items()
    }
    nodes, baseline = tree_nodes(fitted.gradient_boosting, fitted.columns)
    return {
        "fitted": TreeOcclusion(fitted.gradient_boosting, reference, values, columns),
        "registered": TreeOcclusion(
            RegisteredTrees(nodes, baseline, fitted.columns), reference, values, columns
        ),
    }


def assert_equal_to_the_definition(fitted: FittedPropensity, values: np.ndarray) -> np.ndarray:
    """Both passes: the base log-odds bit-identical to decision_function, the changes
    equal brute force (the trees served alone), rows left at exactly 0 (no leaf changes)
    0 by brute force. Returns the changes."""
    decision = fitted.gradient_boosting.decision_function(values)
    expected = reference_contributions(fitted, values)
    for trees in occlusions(fitted, values).values():
        np.testing.assert_array_equal(trees.base, decision)
        np.testing.assert_allclose(trees.contributions, expected, atol=1e-12)
        np.testing.assert_array_equal(expected[trees.contributions == 0], 0.0)
    return trees.contributions


def test_one_pass_gives_decision_function_scores_and_brute_force_changes() -> None:
    """Coarse values (many rows share the reference's leaves): some rows are left at
    exactly 0, not all."""
    frame = synthetic(900, seed=6)
    for column in ["signal", "noise", "spend"]:
        frame[column] = frame[column].round(-1 if column == "spend" else 0)
    prepared = data(frame, np.where(frame.signal > 0, 2, 1))
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40})
    fitted = fit_propensity(prepared.training_features, prepared.target, config, prepared.groups)
    actual = assert_equal_to_the_definition(fitted, prepared.features[fitted.columns].to_numpy())
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
    nodes, baseline = tree_nodes(fitted.gradient_boosting, fitted.columns)
    for model in (fitted.gradient_boosting, RegisteredTrees(nodes, baseline, fitted.columns)):
        first, _ = _distinct_paths(model, values)
        assert first is not None and len(first) < len(values) // 4
    assert_equal_to_the_definition(fitted, values)


def test_blocks_and_categorical_splits_equal_brute_force(
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
    assert_equal_to_the_definition(fitted, prepared.features[fitted.columns].to_numpy())
