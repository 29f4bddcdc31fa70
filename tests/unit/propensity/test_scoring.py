"""Final scores: every customer scored, the highest for the signal."""

from __future__ import annotations

from customer_segmentation.propensity.scoring import final_scores

from .synthetic import FAST, data, synthetic


def test_final_scores_every_customer_with_reasons() -> None:
    frame = synthetic()
    scores = final_scores(data(frame), FAST)
    assert len(scores) == len(frame)
    assert scores.customer_id.is_unique
    assert scores.propensity_score.between(0, 1).all()
    high = scores.merge(frame[["customer_id", "signal"]]).nlargest(20, "propensity_score")
    # the customers scored highest are high because of the signal
    assert (high.reason_1_feature == "signal").mean() >= 0.9
    assert (high.reason_1_contribution > 0).all()
    assert (high.reason_1_contribution >= high.reason_2_contribution.fillna(0)).all()
