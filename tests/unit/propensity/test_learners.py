"""The two learners: they learn the signal, prior-corrected, with the logistic input in blocks."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation.propensity import blocks
from customer_segmentation.propensity.cross_validation import out_of_fold_predictions
from customer_segmentation.propensity.learners import fit_propensity

from .synthetic import FAST, data, synthetic


def test_models_learn_the_signal_and_scores_are_prior_corrected() -> None:
    from sklearn.metrics import roc_auc_score

    frame = synthetic(1500)
    oof = out_of_fold_predictions(data(frame), FAST)
    for name, group in oof.groupby("model_name"):
        assert roc_auc_score(group.has_responded, group.oof_score) > 0.8, name
    baseline = oof[oof.model_name == "logistic_baseline"]
    # balanced weights would centre scores near 0.5; the correction brings them back
    assert abs(baseline.oof_score.mean() - baseline.has_responded.mean()) < 0.05


def test_linear_input_in_blocks_equals_the_pipeline_transform(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The logistic model's input computed block by block is the pipeline's own
    transform of all rows at once, to the bit."""
    prepared = data(synthetic(n=2_000))
    fitted = fit_propensity(prepared.training_features, prepared.target, FAST, prepared.groups)
    values = prepared.features[fitted.columns].to_numpy()
    monkeypatch.setattr(blocks, "BLOCK_ROWS", 300)  # 7 blocks, the last one partial
    np.testing.assert_array_equal(
        fitted.linear_input(values), fitted.logistic[:-1].transform(values)
    )
