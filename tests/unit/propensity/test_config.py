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
