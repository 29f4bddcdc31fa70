"""Backport: HistGradientBoosting's weighted bin thresholds from one sort per feature.

scikit-learn 1.9 bins a weighted fit (``class_weight="balanced"`` makes every propensity
fit weighted) with one sort and cumulative sum of the feature per threshold (255 of
them); ``weighted_percentiles`` does the same arithmetic for every threshold from one
sort, giving the same thresholds bit for bit (tested against scikit-learn's own
function). ``use_one_call_binning`` installs it in place of scikit-learn's private
``_find_binning_thresholds``, for the whole process, on the tested release series only.
scikit-learn has merged the same change (pull request 34248): delete this module when
requirements.lock moves to a release that ships it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from customer_segmentation._sklearn_private import is_tested_version
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK


def weighted_percentiles(
    values: np.ndarray, weights: np.ndarray, percentiles: np.ndarray
) -> np.ndarray:
    """``sklearn.utils.stats._weighted_percentile(values, weights, p, average=True)`` for
    every ``p`` of ``percentiles`` at once, for 1-D float64 ``values`` and positive
    ``weights`` (binning drops zero weights first): the same sort, cumulative sum and
    per-percentile arithmetic, vectorized over the percentiles."""
    order = np.argsort(values.reshape(-1, 1), axis=0)[:, 0]  # as scikit-learn sorts
    cdf = np.cumsum(weights[order])
    last = len(values) - 1
    ranks = percentiles / 100 * cdf[-1]
    ranks = np.where(ranks == 0, np.nextafter(ranks, ranks + 1), ranks)
    at = np.clip(np.searchsorted(cdf, ranks), 0, last)
    value = values[order[at]]
    is_fraction_above = cdf[at] - ranks > np.finfo(np.float64).eps
    above = values[order[np.clip(at + 1, 0, last)]]
    return np.where(is_fraction_above, value, (value + above) / 2)


def find_binning_thresholds(
    col_data: np.ndarray, max_bins: int, sample_weight: np.ndarray | None = None
) -> np.ndarray:
    """scikit-learn 1.9.1's ``_find_binning_thresholds`` (BSD-3-Clause, the scikit-learn
    developers), with a feature's weighted percentiles from one sort
    (``weighted_percentiles``) instead of one ``_weighted_percentile`` call each."""
    # called by scikit-learn's binning, so scikit-learn is imported already
    from numpy.lib.stride_tricks import sliding_window_view
    from sklearn.ensemble._hist_gradient_boosting.common import ALMOST_INF, X_DTYPE

    missing_mask = np.isnan(col_data)
    any_missing = missing_mask.any()
    if any_missing:
        col_data = col_data[~missing_mask]
    if sample_weight is not None:
        if any_missing:
            sample_weight = sample_weight[~missing_mask]
        nnz_sw = sample_weight != 0
        col_data = col_data[nnz_sw]
        sample_weight = sample_weight[nnz_sw]
    sort_idx = np.argsort(col_data)
    col_data = col_data[sort_idx]
    if sample_weight is not None:
        sample_weight = sample_weight[sort_idx]
    distinct_values = np.unique(col_data).astype(X_DTYPE)
    if len(distinct_values) == 1:
        return np.asarray([])
    percentiles = np.linspace(0, 100, num=max_bins + 1)[1:-1]
    if len(distinct_values) <= max_bins:
        bin_thresholds = sliding_window_view(distinct_values, 2).mean(axis=1)
    elif sample_weight is None:
        bin_thresholds = np.percentile(col_data, percentiles, method="averaged_inverted_cdf")
    else:
        # the one change: every percentile from one sort, not one sort per percentile
        bin_thresholds = weighted_percentiles(col_data, sample_weight, percentiles)
    unique_bin_values = np.unique(bin_thresholds)
    if unique_bin_values.shape[0] != bin_thresholds.shape[0]:
        bin_thresholds = unique_bin_values
    np.clip(bin_thresholds, a_min=None, a_max=ALMOST_INF, out=bin_thresholds)
    return bin_thresholds


def use_one_call_binning() -> bool:
    """Make HistGradientBoosting find its bin thresholds with ``find_binning_thresholds``
    on the tested scikit-learn series (the same thresholds, faster); elsewhere leave it
    as it is. Idempotent; returns whether it is in use."""
    if not is_tested_version():
        return False
    with SKLEARN_IMPORT_LOCK:
        from sklearn.ensemble._hist_gradient_boosting import binning

    module: Any = binning
    module._find_binning_thresholds = find_binning_thresholds
    return True
