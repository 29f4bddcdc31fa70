"""The served fit: every customer scored, the highest for the signal, and the rows it is
registered as."""

from __future__ import annotations

import pandas as pd

from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.registered import registered_reason_codes
from customer_segmentation.propensity.scoring import fit_served, served_model_rows

from .synthetic import FAST, data, synthetic


def test_the_served_fit_scores_every_customer_with_reasons() -> None:
    frame = synthetic()
    prepared = data(frame)
    fitted = fit_served(prepared, FAST, "gradient_boosting")
    rows = model_rows(fitted, prepared)
    design = prepared.features.assign(customer_id=prepared.customer_ids)
    scores = registered_reason_codes(design, rows).assign(
        propensity_score=fitted.score(prepared.features)
    )
    assert len(scores) == len(frame)
    assert scores.customer_id.is_unique
    assert scores.propensity_score.between(0, 1).all()
    high = scores.merge(frame[["customer_id", "signal"]]).nlargest(20, "propensity_score")
    # the customers scored highest are high because of the signal
    assert (high.reason_1_feature == "signal").mean() >= 0.9
    assert (high.reason_1_contribution > 0).all()
    assert (high.reason_1_contribution >= high.reason_2_contribution.fillna(0)).all()
    # ml_propensity_model's rows are those of this fit
    pd.testing.assert_frame_equal(
        served_model_rows(prepared, FAST, "gradient_boosting"), rows, check_exact=True
    )
