"""The one-call weighted binning gives scikit-learn's own thresholds, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting import binning
from sklearn.utils.stats import _weighted_percentile

from customer_segmentation._sklearn_private.binning import (
    find_binning_thresholds,
    use_one_call_binning,
    weighted_percentiles,
)

# scikit-learn's function, kept before any test installs ours
SKLEARN_THRESHOLDS = binning._find_binning_thresholds
assert SKLEARN_THRESHOLDS.__module__ == binning.__name__, "imported after the backport"
PERCENTILES = np.linspace(0, 100, 256)[1:-1]


def column(kind: str, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Skewed money, small integer counts with many ties, rounded values, or normal."""
    values = {
        "money": lambda: rng.lognormal(size=rows),
        "counts": lambda: rng.integers(0, 400, size=rows).astype("float64"),
        "rounded": lambda: np.round(rng.normal(size=rows), 2),
        "normal": lambda: rng.normal(size=rows),
    }[kind]()
    values[rng.random(rows) < 0.1] = np.nan
    return values


@pytest.mark.parametrize("kind", ["money", "counts", "rounded", "normal"])
@pytest.mark.parametrize("seed", range(5))
def test_thresholds_equal_scikit_learns(kind: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(300, 30_000))
    values = column(kind, rows, rng)
    weights = np.where(rng.random(rows) < 0.1, 4.5, 0.55)  # balanced classes, 10% positive
    weights[rng.random(rows) < 0.05] = 0.0
    for sample_weight in (weights, None):
        expected = SKLEARN_THRESHOLDS(values.copy(), 255, sample_weight)
        got = find_binning_thresholds(values.copy(), 255, sample_weight)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", range(20))
def test_weighted_percentiles_equal_one_call_each(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(2, 5_000))
    distinct = int(rng.integers(2, 600))
    values = np.sort(rng.integers(0, distinct, size=rows).astype("float64"))
    weights = rng.choice([0.5, 1.0, 3.7, 1e-3, 7.0], size=rows)
    expected = [_weighted_percentile(values, weights, p, average=True) for p in PERCENTILES]
    np.testing.assert_array_equal(weighted_percentiles(values, weights, PERCENTILES), expected)


def test_installed_only_where_it_is_scikit_learns_function_with_one_change() -> None:
    installed = use_one_call_binning()
    assert installed == sklearn.__version__.startswith("1.9.")
    expected = find_binning_thresholds if installed else SKLEARN_THRESHOLDS
    assert binning._find_binning_thresholds is expected


def test_a_balanced_fit_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    rows = 6_000
    features = np.column_stack([column(kind, rows, rng) for kind in ("money", "normal")])
    target = (rng.random(rows) < 1 / (1 + np.exp(-np.nan_to_num(features[:, 1])))).astype(int)

    def scores() -> np.ndarray:
        model = HistGradientBoostingClassifier(max_iter=20, class_weight="balanced")
        return model.fit(features, target).predict_proba(features)

    monkeypatch.setattr(binning, "_find_binning_thresholds", SKLEARN_THRESHOLDS)
    expected = scores()
    monkeypatch.setattr(binning, "_find_binning_thresholds", find_binning_thresholds)
    np.testing.assert_array_equal(scores(), expected)


def test_outside_the_tested_series_scikit_learns_binning_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from customer_segmentation._sklearn_private import binning as backport

    monkeypatch.setattr(binning, "_find_binning_thresholds", SKLEARN_THRESHOLDS)
    monkeypatch.setattr(backport, "is_tested_version", lambda: False)
    assert use_one_call_binning() is False
    assert binning._find_binning_thresholds is SKLEARN_THRESHOLDS
