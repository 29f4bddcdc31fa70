"""The drift baseline: quantile bins of the training data and the training-data check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.lifecycle.drift import check_training_data, fit_feature_bins
from customer_segmentation.lifecycle.fingerprints import frame_fingerprint

FEATURES = pd.DataFrame(
    {
        "customer_id": [f"C{i:02d}" for i in range(20)],
        "spend": [float(i) for i in range(19)] + [np.nan],
        "size": [1.0] * 10 + [2.0] * 10,
    }
)


def test_bins_split_the_training_values_at_their_quantiles() -> None:
    bins = fit_feature_bins(FEATURES, ["spend", "size"], bins=4)
    spend = bins.loc[bins["feature_name"] == "spend"].set_index("bin_number")
    # 19 values 0..18: quartile edges 4.5, 9, 13.5 (a value on an edge goes below it:
    # 5 values <= 4.5, 5 in (4.5, 9], 4 in (9, 13.5], 5 above); the null in bin 0
    np.testing.assert_allclose(spend["upper_edge"].dropna(), [4.5, 9.0, 13.5])
    assert spend["training_count"].tolist() == [1, 5, 5, 4, 5]
    assert spend["training_share"].sum() == pytest.approx(1.0)
    assert spend["training_p50"].iloc[0] == 9.0 and spend["training_mean"].iloc[0] == 9.0
    # two distinct values: quartile edges 1, 1.5, 2 (so 10 in bin 1 and 10 in bin 3)
    size = bins.loc[bins["feature_name"] == "size"].set_index("bin_number")
    assert size.loc[size.index > 0, "training_count"].sum() == 20
    assert size["feature_position"].iloc[0] == 2
    assert size.loc[0, "training_count"] == 0


def test_bins_must_be_an_integer_of_at_least_two() -> None:
    with pytest.raises(ValueError, match="bins"):
        fit_feature_bins(FEATURES, ["spend"], bins=1)


def test_baseline_refuses_data_the_model_was_not_fitted_on() -> None:
    preprocessing = pd.DataFrame(
        {
            "feature_name": ["spend", "size"],
            "feature_position": [1, 2],
            "training_fingerprint": frame_fingerprint(FEATURES[["customer_id", "spend", "size"]]),
        }
    )
    check_training_data(FEATURES, preprocessing)  # the training data itself: accepted
    changed = FEATURES.assign(spend=FEATURES["spend"] * 2)
    with pytest.raises(ValueError, match=r"segment_mode: retrain"):
        check_training_data(changed, preprocessing)
    with pytest.raises(ValueError, match="fitted before the baseline existed"):
        check_training_data(FEATURES, preprocessing.drop(columns="training_fingerprint"))


def _legacy_feature_bins(values: np.ndarray, bins: int) -> tuple:
    """The counts, edges and quantiles as first computed (np.quantile per figure,
    searchsorted of every value)."""
    values = values[~np.isnan(values)]
    edges = np.unique(np.quantile(values, np.arange(1, bins) / bins))
    counts = np.bincount(np.searchsorted(edges, values, side="left"), minlength=len(edges) + 1)
    quantiles = [np.quantile(values, q) for q in (0.1, 0.5, 0.9)]
    return edges, counts, quantiles


def test_bins_equal_the_first_implementation_exactly() -> None:
    rng = np.random.default_rng(4)
    n = 20_000
    features = pd.DataFrame(
        {
            "money": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(4, 2, n)),
            "ties": rng.integers(0, 4, n).astype(float),
            "rounded": np.round(rng.normal(size=n), 1),
        }
    )
    table = fit_feature_bins(features, list(features.columns), bins=10)
    for name in features.columns:
        rows = table.loc[table["feature_name"] == name].set_index("bin_number")
        edges, counts, quantiles = _legacy_feature_bins(features[name].to_numpy(), 10)
        assert rows["upper_edge"].dropna().tolist() == edges.tolist()
        assert rows.loc[rows.index > 0, "training_count"].tolist() == counts.tolist()
        assert rows.iloc[0][["training_p10", "training_p50", "training_p90"]].tolist() == quantiles
