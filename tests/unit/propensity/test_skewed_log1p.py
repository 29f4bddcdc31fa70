"""The logistic baseline's skewed-column log1p is a plain scikit-learn transformer."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from customer_segmentation.propensity.skewed_log1p import SkewedLog1p


def test_only_non_negative_skewed_columns_are_logged() -> None:
    rng = np.random.default_rng(0)
    values = np.column_stack(
        [rng.lognormal(size=500), rng.normal(size=500), -rng.lognormal(size=500)]
    )
    transformer = SkewedLog1p().fit(values)
    assert transformer.columns_.tolist() == [True, False, False]
    expected = values.copy()
    expected[:, 0] = np.log1p(values[:, 0])
    np.testing.assert_array_equal(transformer.transform(values), expected)
    np.testing.assert_array_equal(SkewedLog1p().fit_transform(values), expected)
    assert transformer.transform(values) is not values  # the input is not changed


def test_it_has_scikit_learns_estimator_interface() -> None:
    transformer = SkewedLog1p()
    assert transformer.get_params() == {}
    assert transformer.set_params() is transformer
    assert isinstance(clone(transformer), SkewedLog1p)
