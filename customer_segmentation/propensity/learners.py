"""The two learners, fitted, and their blend: the candidates the served model is chosen from.

scikit-learn ``HistGradientBoostingClassifier`` (native missing values, native
categories for the categorical columns' level codes) and a ``LogisticRegression``
baseline (median imputation, optional signed log1p, scaling; categorical columns one-hot,
levels learned at fit, unknown ones all zeros) on the same columns, both trained with
``class_weight="balanced"``; their scores are then moved back to the observed response
rate by the prior correction ``logit(p) + logit(rate) - logit(0.5)`` (rank order, hence
ROC-AUC, is unchanged, and the scores read as probabilities again). Three candidates are
scored: each learner, and their blend in log-odds (``blend_weight``); the served one is
chosen out of fold (``cross_validation.choose_served``) or forced (``config.model``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation.propensity import blocks
from customer_segmentation.propensity.blocks import as_matrix, row_blocks
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import SEGMENT_GROUP, modal_code
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK, thread_limit

BLEND = "blend"


def expit(log_odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-log_odds))


@dataclass
class FittedPropensity:
    """Both fitted learners and what is needed to serve and explain their score."""

    gradient_boosting: Any
    logistic: Any
    config: PropensityConfig
    log_odds_shift: float
    columns: list[str]
    groups: dict[str, list[str]]
    reference: pd.Series
    served: str = "gradient_boosting"
    categorical: tuple[str, ...] = ()

    def log_odds(self, features: pd.DataFrame | np.ndarray) -> dict[str, np.ndarray]:
        """Prior-corrected log-odds of each learner and of the served blend (a frame
        with the model's columns, or an array in their order)."""
        if isinstance(features, pd.DataFrame):
            features = features[self.columns]
        values = as_matrix(features)
        trees = tree_decision(self.gradient_boosting, values) + self.log_odds_shift
        linear = self.logistic[-1].decision_function(self.linear_input(values))
        linear = linear + self.log_odds_shift
        weight = float(self.config.blend_weight)
        return {
            "gradient_boosting": trees,
            "logistic_baseline": linear,
            BLEND: (1 - weight) * trees + weight * linear,
        }

    def linear_input(self, values: np.ndarray) -> np.ndarray:
        """The logistic model's input: its pipeline's transform of ``values``, one block
        of rows at a time (each step copies its input: per block the copies stay in
        cache; the values are the same)."""
        transform = self.logistic[:-1]
        if len(values) <= blocks.BLOCK_ROWS:
            return transform.transform(values)
        # every numeric step keeps the columns (the imputer keeps empty ones); one-hot
        # columns add one per learned level
        result = np.empty((len(values), len(self.logistic[-1].coef_.ravel())))
        for block in row_blocks(len(values)):
            result[block] = transform.transform(values[block])
        return result

    @property
    def served_model(self) -> str:
        """The name of the served candidate."""
        return self.served

    @property
    def served_logistic_weight(self) -> float:
        """The logistic model's weight in the served log-odds (0: the trees alone)."""
        return self.config.logistic_weight(self.served)

    def score(self, features: pd.DataFrame) -> np.ndarray:
        """The served propensity (a probability) of each row."""
        return expit(self.log_odds(features)[self.served_model])


# scikit-learn's early_stopping="auto" turns early stopping on above this many rows
_AUTO_EARLY_STOPPING_ROWS = 10_000


def make_learners(
    config: PropensityConfig, training_rows: int, categorical: np.ndarray | None = None
) -> tuple[Any, Any]:
    """The two learners. ``training_rows`` (every contacted customer) decides
    early_stopping "auto" once, as scikit-learn decides it for the final fit: an
    out-of-fold fit sees only part of those rows, and on its own could run all
    iterations where the served model stops early, so the evaluation would score
    another procedure than the one served. ``categorical``: a boolean mask of the
    columns holding level codes (native categories for the trees, one-hot for the
    logistic model); none, the learners are exactly the numeric ones."""
    with SKLEARN_IMPORT_LOCK:
        from sklearn.compose import ColumnTransformer
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

        from customer_segmentation.propensity.skewed_log1p import SkewedLog1p
    from customer_segmentation._sklearn_private.binning import use_one_call_binning

    use_one_call_binning()  # balanced class weights make every fit's binning weighted
    settings = {"random_state": config.random_state, **config.gradient_boosting}
    if settings.get("early_stopping", "auto") == "auto":
        settings["early_stopping"] = training_rows > _AUTO_EARLY_STOPPING_ROWS
    has_categorical = categorical is not None and bool(np.any(categorical))
    if has_categorical:
        settings["categorical_features"] = np.asarray(categorical, dtype=bool)
    trees = HistGradientBoostingClassifier(**settings, class_weight=config.class_weight)
    from customer_segmentation.segmentation.preprocessing import signed_log1p

    steps: list[Any] = [SimpleImputer(strategy="median", keep_empty_features=True)]
    if config.logistic_log1p == "all":
        steps.append(FunctionTransformer(signed_log1p))
    elif config.logistic_log1p == "skewed":
        steps.append(SkewedLog1p())
    steps.append(StandardScaler())
    classifier = LogisticRegression(
        **{"max_iter": 2000, "random_state": config.random_state, **config.logistic},
        class_weight=config.class_weight,
    )
    if not has_categorical:
        return trees, make_pipeline(*steps, classifier)
    mask = np.asarray(categorical, dtype=bool)
    columns = ColumnTransformer(
        [
            ("numeric", make_pipeline(*steps), np.flatnonzero(~mask)),
            # missing is a level of its own; a level unseen at fit is all zeros
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                np.flatnonzero(mask),
            ),
        ]
    )
    return trees, make_pipeline(columns, classifier)


def _log_odds_shift(target: np.ndarray, config: PropensityConfig) -> float:
    """logit(observed rate) - logit(rate the weighted fit sees): 0 without reweighting."""
    if not config.prior_correction or config.class_weight is None:
        return 0.0
    rate = float(np.mean(target))
    return float(np.log(rate / (1 - rate)))  # balanced weights see a rate of 0.5


def fit_propensity(
    features: pd.DataFrame,
    target: np.ndarray,
    config: PropensityConfig,
    groups: dict,
    training_rows: int | None = None,
    served: str = "gradient_boosting",
    categorical: tuple[str, ...] | list[str] = (),
) -> FittedPropensity:
    """Fit both learners on the given rows; ``training_rows``: how many training rows
    the served model has, when these are fewer (an out-of-fold fit; see ``make_learners``);
    ``served``: the candidate ``score`` and the reason codes explain; ``categorical``:
    the columns holding level codes (``PropensityData.categorical_columns``)."""
    if served not in config.candidates:
        raise ValueError(f"served model {served!r} is not a candidate: {config.candidates}")
    categorical = tuple(column for column in features.columns if column in set(categorical))
    mask = np.isin(features.columns, categorical) if categorical else None
    trees, linear = make_learners(
        config, len(target) if training_rows is None else training_rows, mask
    )
    values = as_matrix(features)
    with few_rows_one_thread(len(values)):
        trees.fit(values, target)
    linear.fit(values, target)
    reference = features.median()
    for column in categorical:  # a category's reference is its most frequent level
        reference[column] = modal_code(features[column])
    if SEGMENT_GROUP in groups:
        one_hot = features[groups[SEGMENT_GROUP]]
        modal = one_hot.sum().idxmax()
        reference[groups[SEGMENT_GROUP]] = (one_hot.columns == modal).astype("float64")
    return FittedPropensity(
        gradient_boosting=trees,
        logistic=linear,
        config=config,
        log_odds_shift=_log_odds_shift(target, config),
        columns=list(features.columns),
        groups=groups,
        reference=reference,
        served=served,
        categorical=categorical,
    )


# below this many rows the trees fit and predict on one OpenMP thread: synchronising
# threads costs more than the work. A prediction is the same either way (each row
# alone); a fit could differ only in float summation order.
FEW_ROWS = 20_000


def few_rows_one_thread(rows: int) -> AbstractContextManager:
    """A context limiting OpenMP to one thread when ``rows`` is below ``FEW_ROWS``."""
    return thread_limit(1 if rows < FEW_ROWS else None, user_api="openmp")


def tree_decision(model: Any, values: np.ndarray) -> np.ndarray:
    """The trees' raw log-odds (one OpenMP thread for few rows)."""
    with few_rows_one_thread(len(values)):
        return model.decision_function(values)
