"""The K-Means fit at the chosen k: centroids in a deterministic order, and their table.

Fitting only: the SQL models score every customer against the centroids this module
returns (nearest centroid by squared Euclidean distance, ties to the lowest id), and
``assign_segments`` is the reference that scoring is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_segmentation.frames import sample_rows
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK, thread_limit
from customer_segmentation.segmentation.k_range import validate_k_values


@dataclass(frozen=True)
class FittedSegments:
    """Centroids in the scaled space, ordered so that segment id = row + 1, and each fit
    row's segment id (``labels``: the rows of ``X`` the fit used, in order)."""

    centroids: np.ndarray
    fit_rows: int
    is_sampled: bool
    inertia: float
    n_iter: int
    labels: np.ndarray | None = None


def kmeans_model(k: int, n_init: int, random_state: int):
    """An unfitted scikit-learn KMeans (k-means++, ``n_init`` runs, fixed seed)."""
    with SKLEARN_IMPORT_LOCK:
        from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=random_state)


def assign_segments(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """1-based id of the nearest centroid (squared Euclidean; ties to the lowest id)."""
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1) + 1


def fit_segments(
    X: np.ndarray,
    k: int,
    *,
    order_by: np.ndarray | None = None,
    random_state: int = 42,
    n_init: int = 10,
    max_fit_rows: int = 200_000,
    threads: int | None = 1,
    population_rows: int | None = None,
) -> FittedSegments:
    """Fit K-Means (k-means++, fixed seed) and order the centroids deterministically.

    Order: descending mean of ``order_by`` (e.g. monetary value per row) over each
    segment's members among the fit rows, else descending size; ties by the centroid
    coordinates. Segment id = position + 1, so the same data and configuration always
    give the same ids. Above ``max_fit_rows`` the fit uses one fixed-seed sample
    (``is_sampled``); ``threads`` caps the OpenMP/BLAS threads (None: all cores).

    A caller that has already drawn that sample (``frames.fetch_rows`` with the same
    ``max_fit_rows`` and ``random_state``, so the whole population never becomes one
    matrix) passes it as ``X`` (and ``order_by``) with ``population_rows``, the number
    of rows it was drawn from: the centroids and their order are the same.
    """
    validate_k_values([k], len(X))
    rows = sample_rows(len(X), max_fit_rows, random_state)
    with thread_limit(threads):
        model = kmeans_model(k, n_init, random_state).fit(X[rows])
    # the fit rows' nearest centroids (KMeans ends with this assignment step)
    labels = model.labels_
    sizes = np.bincount(labels, minlength=k)
    if order_by is None:
        keys = -sizes.astype(float)
    else:
        weights = np.asarray(order_by, dtype=float)[rows]
        sums = np.bincount(labels, weights=weights, minlength=k)
        keys = -np.divide(sums, sizes, out=np.zeros(k), where=sizes > 0)
    order = sorted(range(k), key=lambda c: (keys[c], tuple(model.cluster_centers_[c])))
    # KMeans' cluster c is segment id rank[c]
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(1, k + 1)
    return FittedSegments(
        centroids=model.cluster_centers_[order],
        fit_rows=len(rows),
        is_sampled=len(rows) < (len(X) if population_rows is None else population_rows),
        inertia=float(model.inertia_),
        n_iter=int(model.n_iter_),
        labels=rank[labels],
    )


def centroid_table(fitted: FittedSegments, params: pd.DataFrame) -> pd.DataFrame:
    """Long table of the centroids: segment_id, feature_name, feature_position,
    centroid_scaled and centroid_value (back in the feature's original units: undo the
    standardization, then the signed log), plus the fit's metadata on every row."""
    from customer_segmentation.segmentation.preprocessing import kept_features

    kept = params.set_index("feature_name").loc[kept_features(params)]
    rows = []
    for segment_id, centroid in enumerate(fitted.centroids, start=1):
        for (name, param), scaled in zip(kept.iterrows(), centroid, strict=True):
            value = scaled * param["std_dev"] + param["mean"]
            if param["transform"] == "log1p":
                value = float(np.sign(value) * np.expm1(abs(value)))
            rows.append(
                {
                    "segment_id": segment_id,
                    "feature_name": name,
                    "feature_position": int(param["feature_position"]),
                    "centroid_scaled": float(scaled),
                    "centroid_value": float(value),
                    "fit_rows": fitted.fit_rows,
                    "is_sampled": fitted.is_sampled,
                }
            )
    return pd.DataFrame(rows)
