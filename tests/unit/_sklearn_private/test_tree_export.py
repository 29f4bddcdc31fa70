"""A fitted HistGradientBoostingClassifier's trees as rows, and back: the rebuilt
scikit-learn predictors and the rule the SQL macro applies to the rows both give
``decision_function``, for numeric and categorical splits, missing values and unseen
levels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from customer_segmentation._sklearn_private.tree_export import RegisteredTrees, tree_nodes

COLUMNS = ["amount", "plan", "last_response"]
LEVELS = 4  # plan: level codes 0..3


def draw(rows: int, seed: int, missing_plans: bool) -> np.ndarray:
    """amount (10% missing), plan (level codes, 5% missing when ``missing_plans``) and
    last_response (30% missing, its values noise: the trees split missing from the
    rest, at an infinite threshold)."""
    rng = np.random.default_rng(seed)
    amount = np.where(rng.random(rows) < 0.1, np.nan, rng.normal(size=rows))
    plan = rng.integers(0, LEVELS, rows).astype("float64")
    last_response = np.where(rng.random(rows) < 0.3, np.nan, rng.normal(size=rows))
    plan[(rng.random(rows) < 0.05) & missing_plans] = np.nan
    return np.column_stack([amount, plan, last_response])


def fitted_model(missing_plans: bool) -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    values = draw(600, 1, missing_plans)
    amount, plan, last_response = values.T
    log_odds = (
        np.nan_to_num(amount)
        + np.nan_to_num(plan - 1.5)
        + np.where(np.isnan(last_response), 2.5, -1.0)
    )
    target = np.random.default_rng(2).random(len(values)) < 1 / (1 + np.exp(-log_odds))
    model = HistGradientBoostingClassifier(
        max_iter=30, min_samples_leaf=30, categorical_features=[False, True, False], random_state=0
    )
    return model.fit(values, target), values


def fresh_rows(missing_plans: bool) -> np.ndarray:
    """New rows, and rows with an unseen level code, a missing plan, all missing."""
    rows = draw(300, 7, missing_plans)
    rows[:3, 1] = [LEVELS + 3, np.nan, LEVELS + 3]
    rows[3] = np.nan
    return rows


def sql_rule(nodes: pd.DataFrame, baseline: float, values: np.ndarray) -> np.ndarray:
    """The trees' log-odds by the rule the SQL macro (propensity_tree_value) applies to
    the rows: a numeric split sends value <= threshold left, every non-null value when
    the threshold is infinite, a null the missing_go_to_left way; a categorical split
    sends its left levels left, its right levels right, and any other code or a null the
    missing way. The baseline plus each tree's leaf, in the trees' order."""
    position = {name: index for index, name in enumerate(COLUMNS)}
    trees = [
        {int(node.node_id): node for node in tree.itertuples(index=False)}
        for _, tree in nodes.sort_values(["tree_index", "node_id"]).groupby("tree_index")
    ]
    result = np.full(len(values), baseline)
    for tree in trees:
        for row, customer in enumerate(values):
            node = tree[0]
            while not node.is_leaf:
                value = customer[position[node.feature_name]]
                if pd.isna(node.threshold):
                    code = None if np.isnan(value) else str(int(value))
                    left = str(node.left_levels or "").split(",")
                    right = str(node.right_levels or "").split(",")
                    if code in left:
                        goes_left = True
                    elif code in right:
                        goes_left = False
                    else:
                        goes_left = bool(node.missing_go_to_left)
                elif np.isnan(value):
                    goes_left = bool(node.missing_go_to_left)
                elif np.isinf(node.threshold):
                    goes_left = True
                else:
                    goes_left = bool(value <= node.threshold)
                node = tree[int(node.left_child if goes_left else node.right_child)]
            result[row] += node.node_value
    return result


@pytest.mark.parametrize("missing_plans", [False, True])
def test_the_rows_give_decision_function(missing_plans: bool) -> None:
    model, training = fitted_model(missing_plans)
    nodes, baseline = tree_nodes(model, COLUMNS)
    splits = nodes.loc[~nodes.is_leaf]
    # the splits this test is about: categorical, numeric, infinite thresholds
    assert (splits.feature_name == "plan").any() and splits.threshold.isna().any()
    assert np.isinf(splits.threshold).any()
    assert set(splits.loc[np.isinf(splits.threshold), "feature_name"]) == {"last_response"}
    assert splits.loc[splits.feature_name == "plan", "threshold"].isna().all()
    assert nodes.groupby("tree_index").node_id.min().eq(0).all()
    trees = RegisteredTrees(nodes, baseline, COLUMNS)
    known = trees.make_known_categories_bitsets()
    for values in (training, fresh_rows(missing_plans)):
        decision = model.decision_function(values)
        rebuilt = baseline + sum(
            predictor.predict(values, *known, 1) for (predictor,) in trees._predictors
        )
        np.testing.assert_allclose(rebuilt, decision, rtol=0, atol=1e-12)
        np.testing.assert_allclose(sql_rule(nodes, baseline, values), decision, rtol=0, atol=1e-12)


def test_categorical_levels_are_the_raw_codes_and_a_missing_level_is_none() -> None:
    """Each categorical split lists the level codes the model was fitted on, each on
    exactly one side; a missing plan (NaN, a category of the model's encoder) is on
    neither: it goes the missing way."""
    model, _ = fitted_model(missing_plans=True)
    nodes, _ = tree_nodes(model, COLUMNS)
    categorical = nodes.loc[~nodes.is_leaf & nodes.threshold.isna()]
    for left, right in zip(categorical.left_levels, categorical.right_levels, strict=True):
        codes = [code for side in (left, right) for code in str(side or "").split(",") if code]
        assert sorted(codes) == [str(code) for code in range(LEVELS)]
