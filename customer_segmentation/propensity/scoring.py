"""Final scores: refit on every contacted customer and score every customer, with reasons."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation.propensity.blocks import as_matrix
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import (
    KEY,
    TARGET,
    TRAINING,
    PropensityData,
    validate_target,
)
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.learners import FittedPropensity, expit, fit_propensity
from customer_segmentation.propensity.reasons import reason_codes, tree_pass


def served_candidate(oof_predictions: Any) -> str:
    """The candidate the out-of-fold evaluation chose (its ``is_served`` model_name), from
    ml_propensity_oof_predictions as a DuckDB relation or a frame."""
    if not isinstance(oof_predictions, pd.DataFrame):
        oof_predictions = oof_predictions.filter('"is_served"').limit(1).df()
    names = oof_predictions.loc[oof_predictions["is_served"].astype(bool), "model_name"].unique()
    if len(names) != 1:
        raise ValueError(
            f"ml_propensity_oof_predictions serves {sorted(names)}: expected exactly one model"
        )
    return str(names[0])


def fit_served(data: PropensityData, config: PropensityConfig, served: str) -> FittedPropensity:
    """Both learners fitted on every training row, serving ``served``."""
    validate_target(data.target, int(config.folds), data.campaign_id)
    return fit_propensity(
        data.training_features,
        data.target,
        config,
        data.groups,
        served=served,
        categorical=data.categorical_columns,
    )


def served_model_rows(data: PropensityData, config: PropensityConfig, served: str) -> pd.DataFrame:
    """ml_propensity_model's fit: the served model fitted on every training row, as the
    rows SQL scores from (``export.model_rows``)."""
    return model_rows(fit_served(data, config, served), data)


def final_scores(
    data: PropensityData, config: PropensityConfig, served: str = "gradient_boosting"
) -> pd.DataFrame:
    """Refit on every training row and score every customer with the ``served``
    candidate, with reason codes.

    One row per customer: customer_id, is_training, has_responded (null when not
    contacted), propensity_score, baseline_score (the logistic model),
    reason_1..3_feature / _contribution.
    """
    fitted = fit_served(data, config, served)
    values = as_matrix(data.features[fitted.columns])
    # the trees' scores and reason-code changes in one pass over the trees (None where
    # the installed scikit-learn is not the tested one)
    trees = tree_pass(fitted, values)
    transformed = fitted.linear_input(values)
    tree_log_odds = None if trees is None else trees.base
    log_odds = fitted.log_odds(values, trees=tree_log_odds, transformed=transformed)
    responded = np.full(len(values), None, dtype=object)
    responded[data.is_training] = data.target.astype(bool)
    scores = pd.DataFrame(
        {
            KEY: data.customer_ids,
            TRAINING: data.is_training,
            TARGET: pd.array(responded, dtype="boolean"),
            "propensity_score": expit(log_odds[fitted.served_model]),
            "baseline_score": expit(log_odds["logistic_baseline"]),
        }
    )
    reasons = reason_codes(fitted, values, trees=trees, transformed=transformed)
    return pd.concat([scores, reasons], axis=1)
