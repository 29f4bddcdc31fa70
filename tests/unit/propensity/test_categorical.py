"""Text columns of the feature table are categorical features: levels learned from the
training rows, native categories in the trees, one-hot in the logistic model, reason
codes against the most frequent level, unseen levels scored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.cross_validation import (
    candidate_roc_auc,
    out_of_fold_predictions,
)
from customer_segmentation.propensity.data import feature_list, prepare_propensity_data
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.learners import fit_propensity
from customer_segmentation.propensity.reasons import reference_contributions
from customer_segmentation.propensity.registered import registered_reason_codes
from customer_segmentation.propensity.scoring import fit_served

from .synthetic import synthetic
from .test_reasons import positive_part

CONFIG = PropensityConfig(folds=3, gradient_boosting={"max_iter": 40}, blend_weight=0.5)


def with_plans(n: int = 900, seed: int = 6) -> pd.DataFrame:
    """``plan`` (text: monthly raises the response, two_year lowers it, one_year, the
    most frequent, neither, other a little)
    and ``channel`` (category dtype, unrelated); non-training rows also hold a plan
    never seen in training."""
    frame = synthetic(n, seed=seed)
    rng = np.random.default_rng(seed)
    plan = rng.choice(["monthly", "one_year", "two_year", "other"], n, p=[0.3, 0.4, 0.2, 0.1])
    effect = pd.Series(plan).map({"monthly": 1.5, "one_year": 0.0, "two_year": -2.0, "other": 0.5})
    responded = rng.random(n) < 1 / (1 + np.exp(-(1.5 * frame.signal + effect - 1.0)))
    plan = np.where(~frame.is_training & (rng.random(n) < 0.2), "lifetime", plan)
    plan = np.where(rng.random(n) < 0.05, None, plan)
    frame["plan"] = pd.array(plan, dtype="string")
    frame["channel"] = pd.Categorical(rng.choice(["web", "shop"], n))
    frame["has_responded"] = np.where(frame.is_training, responded, None)
    return frame


def prepared(frame: pd.DataFrame):
    return prepare_propensity_data(frame, ["gender"], "K1")


def test_levels_are_learned_from_training_rows_and_unseen_ones_go_to_other() -> None:
    frame = with_plans()
    data = prepared(frame)
    assert data.categories == {
        "plan": ["monthly", "one_year", "other", "two_year"],
        "channel": ["shop", "web"],
    }
    assert data.categorical_columns == ["plan", "channel"]
    ordered = frame.sort_values("customer_id").reset_index(drop=True)
    codes = data.features["plan"].to_numpy()
    assert np.isnan(codes[ordered.plan.isna().to_numpy()]).all()
    unseen = (ordered.plan == "lifetime").fillna(False).to_numpy()
    assert unseen.any() and (codes[unseen] == 2).all()  # the 'other' level
    monthly = (ordered.plan == "monthly").fillna(False).to_numpy()
    assert (codes[monthly] == 0).all()
    # without an 'other' level an unseen level is missing
    no_other = frame.assign(plan=frame.plan.replace("other", "one_year"))
    recoded = prepared(no_other).features["plan"].to_numpy()
    assert np.isnan(recoded[unseen]).all()
    listed = feature_list(data).set_index("feature_name")
    assert listed.loc["plan", "is_categorical"] and listed.loc["plan", "levels"] == 4
    assert listed.loc["plan", "reference_level"] == "one_year"  # the most frequent
    assert np.isnan(listed.loc["plan", "training_median"])
    assert not listed.loc["signal", "is_categorical"]


def test_text_columns_too_many_levels_are_named() -> None:
    frame = synthetic(600)
    frame["code"] = [f"L{i}" for i in range(len(frame))]
    with pytest.raises(ValueError, match=r"'code' has \d+ levels among training rows"):
        prepared(frame)


def test_the_learners_use_categories_natively_and_one_hot() -> None:
    data = prepared(with_plans())
    fitted = fit_propensity(
        data.training_features,
        data.target,
        CONFIG,
        data.groups,
        categorical=data.categorical_columns,
    )
    columns = list(data.features.columns)
    mask = fitted.gradient_boosting.is_categorical_
    assert [columns[i] for i in np.flatnonzero(mask)] == ["plan", "channel"]
    encoder = fitted.logistic[0].named_transformers_["categorical"]
    assert [len(levels) for levels in encoder.categories_] == [5, 2]  # plan has missing
    # each numeric column one input of the logistic model, each level (missing too) one
    coefficients = len(fitted.logistic[-1].coef_.ravel())
    assert coefficients == len(columns) - 2 + 5 + 2
    assert fitted.linear_input(data.features.to_numpy()).shape == (len(data.features), coefficients)
    levels = model_rows(fitted, data).query("part == 'level'")
    assert levels.groupby("feature_name").size().to_dict() == {"plan": 5, "channel": 2}
    assert levels.loc[levels.level.isna(), "feature_name"].tolist() == ["plan"]
    oof = out_of_fold_predictions(data, CONFIG)
    roc_auc = candidate_roc_auc(oof)
    assert min(roc_auc.values()) > 0.75
    # without the plan the response is harder to rank: the category carries signal
    without = prepared(with_plans().drop(columns="plan"))
    assert max(candidate_roc_auc(out_of_fold_predictions(without, CONFIG)).values()) < max(
        roc_auc.values()
    )


@pytest.mark.parametrize("served", ["gradient_boosting", "blend", "logistic_baseline"])
def test_reason_codes_of_a_category_are_exact_against_its_most_frequent_level(
    served: str,
) -> None:
    data = prepared(with_plans())
    fitted = fit_propensity(
        data.training_features,
        data.target,
        CONFIG,
        data.groups,
        served=served,
        categorical=data.categorical_columns,
    )
    names = list(fitted.groups)
    design = data.features.assign(customer_id=data.customer_ids)
    reasons = registered_reason_codes(design, model_rows(fitted, data), top=len(names))
    actual = positive_part(reasons, names)
    expected = reference_contributions(fitted, data.features)
    np.testing.assert_allclose(actual, np.where(expected > 1e-12, expected, 0.0), atol=1e-9)
    plan = names.index("plan")
    at_reference = (data.features["plan"] == 1).to_numpy()  # one_year
    np.testing.assert_allclose(expected[at_reference, plan], 0.0, atol=1e-12)
    assert (actual[at_reference, plan] == 0).all()
    assert actual[~at_reference, plan].max() > 0


def test_every_customer_is_scored_with_unseen_and_missing_levels() -> None:
    frame = with_plans()
    data = prepared(frame)
    assert np.isnan(data.features["plan"]).any()
    fitted = fit_served(data, CONFIG, "blend")
    design = data.features.assign(customer_id=data.customer_ids)
    scores = registered_reason_codes(design, model_rows(fitted, data)).assign(
        propensity_score=fitted.score(data.features)
    )
    assert len(scores) == len(frame)
    assert scores.propensity_score.between(0, 1).all()
    # a monthly plan raises the score above the most frequent plan's: a reason
    assert "plan" in set(scores.reason_1_feature.dropna())
