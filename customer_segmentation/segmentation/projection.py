"""Principal components of the standardized feature matrix, for a 2-D segment map.

Fitting only: the SQL models place every customer and every centroid on the map from
the loadings this module returns, ``coordinate_c = sum_f (scaled_f - center_f) *
loading_{c,f}``, which is exactly scikit-learn's ``PCA.transform`` (no whitening).

Sign convention: a principal axis is defined only up to its sign, so each component is
flipped, if needed, to make its largest-magnitude loading positive (ties go to the
feature that comes first). The same data therefore always gives the same map, whatever
sign the solver returned. The fit is exact and has no randomness: scikit-learn's
``covariance_eigh`` solver, the eigendecomposition of the features' covariance matrix
(features x features), much faster than the full SVD of many rows and equal to it to
rounding (tested). Above ``max_fit_rows`` it uses one fixed-seed sample of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK, thread_limit


@dataclass(frozen=True)
class FittedProjection:
    """Components (rows) over features (columns), signs fixed by the convention."""

    feature_names: list[str]
    center: np.ndarray
    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    fit_rows: int
    is_sampled: bool

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Coordinates of the rows of ``X`` (same feature order) on the components."""
        return (np.asarray(X, dtype=float) - self.center) @ self.components.T


def orient_components(components: np.ndarray) -> np.ndarray:
    """Flip each row so that its largest-magnitude entry is positive (first one on ties)."""
    components = np.array(components, dtype=float)
    largest = np.abs(components).argmax(axis=1)
    signs = np.sign(components[np.arange(len(components)), largest])
    signs[signs == 0] = 1.0
    return components * signs[:, None]


def fit_projection(
    X: np.ndarray,
    feature_names: Sequence[str],
    *,
    n_components: int = 2,
    random_state: int = 42,
    max_fit_rows: int = 1_000_000,
    threads: int | None = 1,
) -> FittedProjection:
    """Fit a PCA with ``n_components`` axes (fewer when there are fewer features).

    ``random_state`` only chooses the sample above ``max_fit_rows``; the decomposition
    itself is exact and deterministic. ``threads`` caps the BLAS threads (None: all
    cores); one thread is the faster on a machine that dbt keeps busy.
    """
    with SKLEARN_IMPORT_LOCK:
        from sklearn.decomposition import PCA

    X = np.asarray(X, dtype=float)
    names = list(feature_names)
    if X.ndim != 2 or X.shape[1] != len(names):
        raise ValueError(
            f"the matrix has shape {X.shape} but {len(names)} feature names were given"
        )
    if n_components < 1:
        raise ValueError(f"n_components must be at least 1, got {n_components}")
    if len(X) < 2:
        raise ValueError(f"{len(X)} customers: a projection needs at least 2")
    rows = np.arange(len(X))
    if len(X) > max_fit_rows:
        rows = np.sort(np.random.default_rng(random_state).choice(len(X), max_fit_rows, False))
    components = min(n_components, X.shape[1], len(rows))
    with thread_limit(threads):
        pca = PCA(n_components=components, svd_solver="covariance_eigh").fit(X[rows])
    return FittedProjection(
        feature_names=names,
        center=pca.mean_,
        components=orient_components(pca.components_),
        explained_variance=pca.explained_variance_,
        explained_variance_ratio=pca.explained_variance_ratio_,
        fit_rows=len(rows),
        is_sampled=len(rows) < len(X),
    )


def loading_table(fitted: FittedProjection) -> pd.DataFrame:
    """Long table of the loadings: one row per component and feature.

    Columns: component (1 = the map's x axis, 2 = y), feature_name, feature_position
    (1-based, the order of ``feature_names``), loading, center (the mean the PCA
    subtracts), explained_variance, explained_variance_ratio, fit_rows, is_sampled.
    """
    rows = []
    for component, loadings in enumerate(fitted.components, start=1):
        for position, (name, loading, center) in enumerate(
            zip(fitted.feature_names, loadings, fitted.center, strict=True), start=1
        ):
            rows.append(
                {
                    "component": component,
                    "feature_name": name,
                    "feature_position": position,
                    "loading": float(loading),
                    "center": float(center),
                    "explained_variance": float(fitted.explained_variance[component - 1]),
                    "explained_variance_ratio": float(
                        fitted.explained_variance_ratio[component - 1]
                    ),
                    "fit_rows": fitted.fit_rows,
                    "is_sampled": fitted.is_sampled,
                }
            )
    return pd.DataFrame(rows)
