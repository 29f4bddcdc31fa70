"""Out-of-fold evaluation on small synthetic data: coverage, determinism, threads, the cap."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_segmentation import runtime
from customer_segmentation.propensity import blocks, learners
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.cross_validation import (
    candidate_roc_auc,
    choose_served,
    evaluation_sample,
    out_of_fold_predictions,
)
from customer_segmentation.propensity.data import PropensityData
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.registered import registered_reason_codes
from customer_segmentation.propensity.scoring import fit_served, served_candidate

from .synthetic import FAST, data, synthetic


def served_scores(prepared: PropensityData, config: PropensityConfig) -> pd.DataFrame:
    """Every customer's served score and reason codes from the registered rows."""
    fitted = fit_served(prepared, config, "gradient_boosting")
    design = prepared.features.assign(customer_id=prepared.customer_ids)
    reasons = registered_reason_codes(design, model_rows(fitted, prepared))
    return reasons.assign(propensity_score=fitted.score(prepared.features))


def test_out_of_fold_predictions_cover_each_training_customer_once_per_model() -> None:
    frame = synthetic()
    oof = out_of_fold_predictions(data(frame), FAST)
    contacted = int(frame.is_training.sum())
    assert len(oof) == 2 * contacted
    assert set(oof.model_name) == {"gradient_boosting", "logistic_baseline"}
    assert oof.groupby("model_name").customer_id.nunique().eq(contacted).all()
    assert oof.loc[oof.is_served, "model_name"].nunique() == 1
    assert sorted(oof.fold.unique()) == [1, 2, 3]
    assert oof.oof_score.between(0, 1).all()


def test_out_of_fold_predictions_are_deterministic_and_order_free() -> None:
    frame = synthetic()
    first = out_of_fold_predictions(data(frame), FAST)
    shuffled = frame.sample(frac=1.0, random_state=3)
    second = out_of_fold_predictions(data(shuffled), FAST)
    pd.testing.assert_frame_equal(first, second)


def test_threads_change_neither_folds_nor_reason_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folds and blocks of the reason-code pass in two threads give exactly what one
    thread gives (each writes only its own rows, results kept in order)."""
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 64)
    prepared = data(synthetic(900, seed=4))
    results = {}
    for threads in (1, 2):
        monkeypatch.setattr(runtime, "PYTHON_THREADS", threads)
        results[threads] = (
            out_of_fold_predictions(prepared, FAST),
            served_scores(prepared, FAST),
        )
    for one_thread, two_threads in zip(results[1], results[2], strict=True):
        pd.testing.assert_frame_equal(one_thread, two_threads, check_exact=True)


def test_out_of_fold_fits_stop_early_when_the_served_fit_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """scikit-learn's early_stopping "auto" is decided from every training row, so folds
    below 10,000 rows stop early like the served model above it; set, it is kept."""
    assert learners.make_learners(FAST, 12_000)[0].early_stopping is True
    assert learners.make_learners(FAST, 9_000)[0].early_stopping is False
    fixed = PropensityConfig(gradient_boosting={"early_stopping": False})
    assert learners.make_learners(fixed, 12_000)[0].early_stopping is False

    seen = []
    make_learners = learners.make_learners

    def recording(config: PropensityConfig, training_rows: int, *rest: object) -> tuple:
        seen.append(training_rows)
        return make_learners(config, training_rows, *rest)

    monkeypatch.setattr(learners, "make_learners", recording)
    prepared = data(synthetic(600))
    out_of_fold_predictions(prepared, FAST)
    assert seen == [len(prepared.target)] * FAST.folds


def test_the_served_candidate_has_the_best_out_of_fold_roc_auc_or_is_forced() -> None:
    config = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30}, blend_weight=0.5)
    prepared = data(synthetic())
    oof = out_of_fold_predictions(prepared, config)
    assert set(oof.model_name) == {"gradient_boosting", "logistic_baseline", "blend"}
    roc_auc = candidate_roc_auc(oof)
    served = oof.loc[oof.is_served, "model_name"].unique().tolist()
    assert served == [max(roc_auc, key=roc_auc.get)]
    for forced in ("gradient_boosting", "logistic_baseline", "blend"):
        scores = out_of_fold_predictions(prepared, replace(config, model=forced))
        assert scores.loc[scores.is_served, "model_name"].unique().tolist() == [forced]
        # the candidates' scores do not depend on which one is served
        pd.testing.assert_frame_equal(
            scores.drop(columns="is_served"), oof.drop(columns="is_served")
        )


def test_equal_roc_auc_goes_to_the_first_candidate() -> None:
    tied = pd.DataFrame(
        {
            "model_name": ["blend", "blend", "logistic_baseline", "logistic_baseline"],
            "has_responded": [True, False, True, False],
            "oof_score": [0.9, 0.1, 0.8, 0.2],
        }
    )
    config = PropensityConfig(blend_weight=0.5)
    assert choose_served(tied, config) == "logistic_baseline"
    assert served_candidate(tied.assign(is_served=tied.model_name == "blend")) == "blend"


def test_evaluation_sample_is_a_fixed_stratified_subset_above_the_cap() -> None:
    target = (np.arange(1000) % 8 == 0).astype(int)  # 125 responders
    config = PropensityConfig(folds=5, oof_max_rows=200)
    sample = evaluation_sample(target, config)
    assert len(sample) == 200 and len(set(sample)) == 200
    assert np.all(np.diff(sample) > 0)
    assert target[sample].sum() == 25  # the response share, 1/8
    np.testing.assert_array_equal(sample, evaluation_sample(target, config))
    uncapped = evaluation_sample(target, PropensityConfig(folds=5, oof_max_rows=1000))
    np.testing.assert_array_equal(uncapped, np.arange(1000))


def test_capped_out_of_fold_evaluation_scores_the_sample_and_the_served_fit_everyone() -> None:
    """The cap samples the evaluation only: the served model is fitted on every
    training row, exactly as without the cap, and scores and explains every customer."""
    frame = synthetic(1000)
    prepared = data(frame)
    uncapped = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30})
    config = replace(uncapped, oof_max_rows=300)
    oof = out_of_fold_predictions(prepared, config)
    assert oof.groupby("model_name").size().eq(300).all()
    sampled = prepared.customer_ids[prepared.is_training][
        evaluation_sample(prepared.target, config)
    ]
    assert set(oof.customer_id) == set(sampled)
    full = out_of_fold_predictions(prepared, uncapped)
    assert len(full) == 2 * prepared.is_training.sum()
    scores = served_scores(prepared, config)
    assert len(scores) == len(frame)
    assert scores.customer_id.tolist() == prepared.customer_ids.tolist()
    pd.testing.assert_frame_equal(scores, served_scores(prepared, uncapped), check_exact=True)
