"""The served model's rows (``export.model_rows``) and the reason codes computed from
them (``registered_reason_codes``), equal to the public-API definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation._sklearn_private.tree_export import tree_nodes
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import PropensityData
from customer_segmentation.propensity.export import COLUMNS, PARTS, model_rows
from customer_segmentation.propensity.reasons import reference_contributions, top_reasons
from customer_segmentation.propensity.registered import registered_reason_codes
from customer_segmentation.propensity.scoring import fit_served

from .synthetic import data, synthetic

CONFIG = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40}, blend_weight=0.5)


def with_plan(n: int = 700, seed: int = 12) -> PropensityData:
    """A text column ``plan`` (a categorical column, some missing) that moves the
    response, and three segments (the segment group)."""
    frame = synthetic(n, seed=seed)
    rng = np.random.default_rng(seed)
    plan = rng.choice(["annual", "monthly", "trial"], n, p=[0.5, 0.3, 0.2])
    effect = pd.Series(plan).map({"annual": 0.0, "monthly": 1.5, "trial": -1.0})
    responded = rng.random(n) < 1 / (1 + np.exp(-(1.5 * frame.signal + effect - 1.0)))
    frame["plan"] = pd.array(np.where(rng.random(n) < 0.05, None, plan), dtype="string")
    frame["has_responded"] = np.where(frame.is_training, responded, None)
    segments = np.where(frame.signal > 0.8, 3, np.where(frame.noise > 0, 2, 1))
    return data(frame, segments)


def design(prepared: PropensityData) -> pd.DataFrame:
    """int_propensity_design's part the reason codes read: customer_id, the columns."""
    return prepared.features.assign(customer_id=prepared.customer_ids)


@pytest.mark.parametrize("served", ["gradient_boosting", "logistic_baseline", "blend"])
def test_registered_reason_codes_equal_the_definition(served: str) -> None:
    prepared = with_plan()
    assert prepared.categorical_columns == ["plan"] and "segment_id" in prepared.groups
    fitted = fit_served(prepared, CONFIG, served)
    actual = registered_reason_codes(design(prepared), model_rows(fitted, prepared))
    expected = pd.DataFrame(
        top_reasons(reference_contributions(fitted, prepared.features), list(fitted.groups), 3)
    )
    assert actual.customer_id.tolist() == prepared.customer_ids.tolist()
    features = [f"reason_{rank}_feature" for rank in (1, 2, 3)]
    contributions = [f"reason_{rank}_contribution" for rank in (1, 2, 3)]
    pd.testing.assert_frame_equal(actual[features], expected[features])
    pd.testing.assert_frame_equal(
        actual[contributions], expected[contributions], check_exact=False, rtol=0, atol=1e-9
    )
    # the categorical and the segment groups are reasons of some customers
    named = set(actual[features].stack().dropna())
    assert {"plan", "segment_id"} <= named


@pytest.mark.parametrize("categorical", [True, False])
def test_model_rows_have_every_column_and_part(categorical: bool) -> None:
    prepared = with_plan() if categorical else data(synthetic())
    fitted = fit_served(prepared, CONFIG, "blend")
    rows = model_rows(fitted, prepared)
    assert list(rows.columns) == list(COLUMNS)
    assert {column: str(kind) for column, kind in rows.dtypes.items()} == COLUMNS
    parts = [part for part in PARTS if part in set(rows.part)]
    assert rows.part.drop_duplicates().tolist() == parts  # in PARTS order
    assert parts == (list(PARTS) if categorical else ["constant", "column", "tree_node"])
    columns = rows.loc[rows.part == "column"]
    assert columns.feature_name.tolist() == fitted.columns
    assert columns.feature_position.tolist() == list(range(1, len(fitted.columns) + 1))
    assert columns.is_categorical.tolist() == [c in fitted.categorical for c in fitted.columns]
    # a categorical column's logistic terms are its level rows
    assert columns.loc[columns.is_categorical, "coefficient"].isna().all()
    assert columns.loc[~columns.is_categorical, "coefficient"].notna().all()
    nodes, _ = tree_nodes(fitted.gradient_boosting, fitted.columns)
    assert (rows.part == "tree_node").sum() == len(nodes)


def test_model_rows_constant() -> None:
    prepared = data(synthetic())
    fitted = fit_served(prepared, CONFIG, "blend")
    rows = model_rows(fitted, prepared)
    constant = rows.loc[rows.part == "constant"]
    assert len(constant) == 1 and constant.index[0] == 0
    row = constant.iloc[0]
    assert row.served_model == "blend"
    assert row.logistic_weight == CONFIG.logistic_weight("blend") == 0.5
    assert row.tree_baseline == tree_nodes(fitted.gradient_boosting, fitted.columns)[1]
    assert row.intercept == fitted.logistic[-1].intercept_[0]
    rate = prepared.target.mean()
    assert row.log_odds_shift == fitted.log_odds_shift
    assert row.log_odds_shift == pytest.approx(np.log(rate / (1 - rate)))
    constants = ["served_model", "logistic_weight", "tree_baseline", "intercept", "log_odds_shift"]
    assert constant[constants].notna().all(axis=None)
    others = [column for column in COLUMNS if column not in {"part", *constants}]
    assert constant[others].isna().all(axis=None)
    # the served log-odds from the constant and the learners' raw log-odds
    values = prepared.features[fitted.columns].to_numpy()
    trees = fitted.gradient_boosting.decision_function(values) + row.log_odds_shift
    linear = fitted.logistic.decision_function(values) + row.log_odds_shift
    np.testing.assert_allclose(
        (1 - row.logistic_weight) * trees + row.logistic_weight * linear,
        fitted.log_odds(prepared.features)["blend"],
        rtol=0,
        atol=1e-12,
    )
