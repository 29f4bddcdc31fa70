"""The propensity settings are validated up front, naming the setting."""

from __future__ import annotations

import pytest

from customer_segmentation.propensity.config import PropensityConfig


def test_configuration_is_validated() -> None:
    with pytest.raises(ValueError, match="folds"):
        PropensityConfig(folds=1)
    with pytest.raises(ValueError, match="not known"):
        PropensityConfig.from_meta({"propensity": {"fold": 5}})
    assert PropensityConfig.from_meta({"propensity": {"folds": 4}}).folds == 4


def test_oof_max_rows_is_validated() -> None:
    with pytest.raises(ValueError, match="oof_max_rows is 5: use null"):
        PropensityConfig(folds=5, oof_max_rows=5)


def test_model_choice_and_rendered_vars_are_validated() -> None:
    rendered = PropensityConfig.from_meta(
        {"blend_weight": "0.25", "model": " logistic_baseline ", "logistic_log1p": "none"}
    )
    assert rendered.blend_weight == 0.25 and rendered.model == "logistic_baseline"
    assert rendered.candidates == ["gradient_boosting", "logistic_baseline", "blend"]
    assert PropensityConfig(blend_weight=0).candidates == ["gradient_boosting", "logistic_baseline"]
    with pytest.raises(ValueError, match="var propensity_model"):
        PropensityConfig(model="best")
    with pytest.raises(ValueError, match="blend_weight is 0"):
        PropensityConfig(model="blend", blend_weight=0)
    with pytest.raises(ValueError, match="var propensity_blend_weight"):
        PropensityConfig(blend_weight="half")
    with pytest.raises(ValueError, match="var propensity_logistic_log1p"):
        PropensityConfig(logistic_log1p="sqrt")
