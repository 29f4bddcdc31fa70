"""Out-of-fold evaluation: stratified K-fold scores of the contacted customers.

The evaluation can be capped (``oof_max_rows``): above it, the stratified K-fold runs on
a fixed-seed sample of that many training rows, stratified by response (every customer
is still scored by the final model, fitted on all training rows). Every candidate is
scored on the same evaluated rows and folds, and the served one is chosen on them
(``choose_served``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from customer_segmentation import runtime
from customer_segmentation.propensity.blocks import as_matrix
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import KEY, TARGET, PropensityData, validate_target
from customer_segmentation.propensity.learners import FEW_ROWS, expit, fit_propensity
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK


def evaluation_sample(target: np.ndarray, config: PropensityConfig) -> np.ndarray:
    """Positions (ascending) of the training rows the out-of-fold evaluation uses: all of
    them, or above ``oof_max_rows`` a fixed-seed sample of that many, stratified by
    response (each class keeps its share, rounded, and at least ``folds`` rows)."""
    rows = len(target)
    cap = config.oof_max_rows
    if cap is None or rows <= int(cap):
        return np.arange(rows)
    rng = np.random.default_rng(config.random_state)
    positives = np.flatnonzero(target == 1)
    negatives = np.flatnonzero(target != 1)
    folds = int(config.folds)
    keep_positives = round(int(cap) * len(positives) / rows)
    keep_positives = min(max(keep_positives, folds), len(positives), int(cap) - folds)
    picked = np.concatenate(
        [
            rng.choice(positives, keep_positives, replace=False),
            rng.choice(negatives, int(cap) - keep_positives, replace=False),
        ]
    )
    return np.sort(picked)


def out_of_fold_predictions(data: PropensityData, config: PropensityConfig) -> pd.DataFrame:
    """Stratified K-fold out-of-fold scores of the training customers, both learners.

    One row per evaluated training customer and candidate: customer_id, model_name
    (gradient_boosting, logistic_baseline, and blend when blend_weight > 0), is_served
    (``choose_served``), logistic_weight (in the candidate's log-odds), fold (1-based),
    has_responded, oof_score. Each fold's learners are fitted on the other folds only.
    Every training customer is evaluated unless there are more than ``oof_max_rows``:
    then the stratified sample of ``evaluation_sample``.
    """
    with SKLEARN_IMPORT_LOCK:
        from sklearn.model_selection import StratifiedKFold

    validate_target(data.target, int(config.folds), data.campaign_id)
    sample = evaluation_sample(data.target, config)
    features = data.training_features.iloc[sample].reset_index(drop=True)
    target = data.target[sample]
    customers = data.customer_ids[data.is_training][sample]
    values = as_matrix(features)
    splitter = StratifiedKFold(int(config.folds), shuffle=True, random_state=config.random_state)
    splits = list(splitter.split(values, target))

    def fold_scores(fold: int) -> list[pd.DataFrame]:
        train, test = splits[fold - 1]
        fitted = fit_propensity(
            features.iloc[train],
            target[train],
            config,
            data.groups,
            len(data.target),
            categorical=data.categorical_columns,
        )
        log_odds = fitted.log_odds(values[test])
        return [
            pd.DataFrame(
                {
                    KEY: customers[test],
                    "model_name": name,
                    "logistic_weight": config.logistic_weight(name),
                    "fold": fold,
                    TARGET: target[test].astype(bool),
                    "oof_score": expit(log_odds[name]),
                }
            )
            for name in config.candidates
        ]

    # folds side by side in threads when each fit runs on one OpenMP thread (few rows):
    # the trees' loops release the GIL, and each fold's result is its own, in fold order
    threads = runtime.PYTHON_THREADS if max(len(train) for train, _ in splits) < FEW_ROWS else 1
    with ThreadPoolExecutor(threads) as pool:
        frames = [
            frame for scores in pool.map(fold_scores, range(1, len(splits) + 1)) for frame in scores
        ]
    result = pd.concat(frames, ignore_index=True)
    served = choose_served(result, config)
    result.insert(2, "is_served", result["model_name"] == served)
    return result.sort_values(["model_name", KEY], kind="stable").reset_index(drop=True)


# ROC-AUCs closer than this are equal: the candidate listed first wins
ROC_AUC_TIE = 1e-9


def candidate_roc_auc(oof: pd.DataFrame) -> dict[str, float]:
    """The out-of-fold ROC-AUC of each candidate in ``oof`` (columns model_name,
    has_responded, oof_score)."""
    with SKLEARN_IMPORT_LOCK:
        from sklearn.metrics import roc_auc_score

    return {
        str(name): float(roc_auc_score(rows[TARGET].astype(int), rows["oof_score"]))
        for name, rows in oof.groupby("model_name", sort=False)
    }


def choose_served(oof: pd.DataFrame, config: PropensityConfig) -> str:
    """The served candidate: ``config.model`` when forced, else the highest out-of-fold
    ROC-AUC on the evaluated rows (the same rows and folds for every candidate); ROC-AUCs
    within ``ROC_AUC_TIE`` of the best go to the first in ``config.candidates``
    (gradient_boosting, logistic_baseline, blend)."""
    if config.model != "auto":
        return config.model
    roc_auc = candidate_roc_auc(oof)
    best = max(roc_auc.values())
    return next(name for name in config.candidates if roc_auc.get(name, -1.0) >= best - ROC_AUC_TIE)
