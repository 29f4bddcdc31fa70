"""K selection and K-Means fitting on the standardized feature matrix.

Fitting only: the SQL models score every customer against the centroids this module
returns (nearest centroid by squared Euclidean distance, ties to the lowest id), and
``assign_segments`` is the reference that scoring is tested against.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK

SELECTION_RULES = ("stable_separation", "silhouette", "elbow", "fixed")


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


def _sample_rows(n_rows: int, max_rows: int, random_state: int) -> np.ndarray:
    """Sorted row positions of a fixed-seed sample (all rows when small enough)."""
    if n_rows <= max_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(random_state).choice(n_rows, max_rows, replace=False))


K_SETTING = "var segment_k_selection (or config.meta k_selection of ml_segment_model_selection)"
# the k range ml_segment_model_selection's YAML ships with (tested equal): the fallback
# where a k_selection leaves k_min or k_max out
DEFAULT_K_MIN, DEFAULT_K_MAX = 3, 10
# two segments and one customer more: no k range can segment fewer
FEWEST_CUSTOMERS = 3


def k_range(k_min: object, k_max: object) -> list[int]:
    """The candidate k values k_min..k_max, validated: whole numbers, 2 <= k_min <= k_max."""
    for name, value in (("k_min", k_min), ("k_max", k_max)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"{name} must be a whole number, got {value!r} ({type(value).__name__}): "
                f"set it in {K_SETTING}"
            )
    if k_min < 2:
        raise ValueError(
            f"k_min must be at least 2 (one segment is no segmentation), got {k_min}: "
            f"set it in {K_SETTING}"
        )
    if k_min > k_max:
        raise ValueError(
            f"k_min ({k_min}) is greater than k_max ({k_max}): no candidate k; set k_min <= "
            f"k_max in {K_SETTING}"
        )
    return list(range(k_min, k_max + 1))


def configured_k_range(k_selection: dict | None) -> list[int]:
    """The candidate k of a k_selection configuration (``k_min``..``k_max``, the shipped
    defaults for a bound it leaves out), validated as ``k_range``."""
    settings = k_selection or {}
    return k_range(settings.get("k_min", DEFAULT_K_MIN), settings.get("k_max", DEFAULT_K_MAX))


def check_customer_count(n_rows: int, k_values: Sequence[int]) -> None:
    """Refuse fewer customers than the candidate k need: k_max + 1, as K-Means needs k
    of them and the silhouette, the cluster indices and the stability refits' subsamples
    one more. The message names the count, the range and what to change."""
    k_min, k_max = min(k_values), max(k_values)
    needed = k_max + 1
    if n_rows >= needed:
        return
    shown = f"{k_min}..{k_max}" if k_min < k_max else f"{k_max}"
    if n_rows >= FEWEST_CUSTOMERS:
        bound = "k_max" if n_rows > k_min else "k_min and k_max"
        change = f"set {bound} to at most {n_rows - 1} in {K_SETTING}, or segment more customers"
    else:
        change = (
            f"no k range can segment {n_rows} (k = 2 needs {FEWEST_CUSTOMERS}): check the "
            "customers input (var input_source and the customers table or file)"
        )
    raise ValueError(
        f"Segmentation needs at least {needed} customers for k = {shown} (one more than "
        f"the largest k), and int_customer_features has {n_rows}: {change}"
    )


def _validate_k_values(k_values: Sequence[int], n_rows: int) -> list[int]:
    values = list(k_values)
    if not values or any(not isinstance(k, int) or k < 2 for k in values):
        raise ValueError(f"k_values must be whole numbers of at least 2, got {values}")
    if values != sorted(set(values)):
        raise ValueError(f"k_values must be ascending without repeats, got {values}")
    check_customer_count(n_rows, values)
    return values


def _thread_limit(threads: int | None):
    """Context that caps the OpenMP/BLAS threads scikit-learn and numpy use (None: no
    cap). One thread is the default: these fits are small, and on a busy machine (dbt
    runs models in parallel) OpenMP's synchronisation made them 10-20x slower.

    threadpoolctl caps only the libraries already loaded, so scikit-learn's KMeans
    (which loads its OpenMP runtime and SciPy's BLAS) is imported first: entered before
    that import, the cap missed the fits, which then ran 4-5x slower on a busy machine.
    """
    with SKLEARN_IMPORT_LOCK:
        import sklearn.cluster  # noqa: F401  (loads the runtimes the cap must see)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def _capped_pool(workers: int, threads: int | None) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads, each capping OpenMP at ``threads`` for its life.

    OpenMP keeps its cap per thread (BLAS's, which ``_thread_limit`` sets, is
    process-wide), so the cap of the thread that made the pool does not reach its
    workers: without their own, fits in them ran on every core and their inertia
    differed in the last bits. The workers end with the pool, so nothing is restored."""
    from threadpoolctl import threadpool_limits

    return ThreadPoolExecutor(workers, initializer=threadpool_limits, initargs=(threads, "openmp"))


def _kmeans(k: int, n_init: int, random_state: int):
    with SKLEARN_IMPORT_LOCK:
        from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=random_state)


def _subsamples(
    n_rows: int, k: int, runs: int, fraction: float, max_rows: int, random_state: int
) -> list[np.ndarray]:
    """Sorted row positions of the stability refits' fixed-seed subsamples of k's fit.

    Each is ``fraction`` of the rows, at most ``max_rows`` (a cap that changes nothing up
    to max_rows / fraction rows and keeps the refits cheap above it)."""
    rng = np.random.default_rng(random_state)
    size = min(n_rows, max(min(int(fraction * n_rows), max_rows), k + 1))
    return [np.sort(rng.choice(n_rows, size, replace=False)) for _ in range(runs)]


_SILHOUETTE_PARTS = 2


def silhouette_scores(
    X: np.ndarray,
    labelings: Sequence[np.ndarray],
    sample_size: int,
    random_state: int,
    block_rows: int = 512,
    threads: int = 2,
) -> list[float]:
    """Mean silhouette of each labeling of ``X`` on one fixed-seed sample of rows.

    Equal to ``sklearn.metrics.silhouette_score(X, labels, sample_size=sample_size,
    random_state=random_state)`` for each labeling (the same rows are drawn), but the
    O(sample_size²) pairwise distances are computed once and shared by every labeling
    instead of once per candidate k: block by block over the upper triangle only (the
    matrix is symmetric), in place in one reused buffer, each block's distances summed
    per cluster of every labeling with one matrix product. The blocks are split into
    two parts summed side by side in ``threads`` threads (numpy's loops release the GIL).
    """
    if sample_size < len(X):
        rows = np.random.RandomState(random_state).permutation(len(X))[:sample_size]
        X = X[rows]
        labelings = [np.asarray(labels)[rows] for labels in labelings]
    X = np.ascontiguousarray(X, dtype=float)
    n = len(X)
    # one indicator column per (labeling, cluster): distance sums to every cluster at once
    offsets, columns = [], []
    for labels in labelings:
        _, codes = np.unique(labels, return_inverse=True)
        offsets.append(sum(block.shape[1] for block in columns))
        columns.append(np.eye(codes.max() + 1)[codes])
    members = np.hstack(columns)
    squared_norms = (X**2).sum(axis=1)
    starts = range(0, n, block_rows)

    def partial_sums(part: int) -> np.ndarray:
        """Row i: distance sums to each cluster, over the block rows of this part."""
        sums = np.zeros((n, members.shape[1]))
        buffer = np.empty((min(block_rows, n), min(block_rows, n)))
        for start in starts[part::_SILHOUETTE_PARTS]:
            stop = min(start + block_rows, n)
            for other in range(start, n, block_rows):
                end = min(other + block_rows, n)
                distances = buffer[: stop - start, : end - other]
                np.matmul(X[start:stop], X[other:end].T, out=distances)
                distances *= -2
                distances += squared_norms[start:stop, None]
                distances += squared_norms[other:end]
                np.maximum(distances, 0, out=distances)
                np.sqrt(distances, out=distances)
                if other == start:
                    np.fill_diagonal(distances, 0)
                    sums[start:stop] += distances @ members[start:stop]
                else:
                    sums[start:stop] += distances @ members[other:end]
                    sums[other:end] += distances.T @ members[start:stop]
        return sums

    # a fixed number of parts, added in order: the same sums for any number of threads
    with ThreadPoolExecutor(threads) as pool:
        sums = sum(pool.map(partial_sums, range(_SILHOUETTE_PARTS)))
    sizes = members.sum(axis=0)
    rows = np.arange(n)
    scores = []
    for offset, block in zip(offsets, columns, strict=True):
        k = block.shape[1]
        own = block.argmax(axis=1)
        cluster_sums = sums[:, offset : offset + k]
        cluster_sizes = sizes[offset : offset + k]
        own_size = cluster_sizes[own]
        intra = cluster_sums[rows, own] / np.maximum(own_size - 1, 1)
        means = cluster_sums / cluster_sizes
        means[rows, own] = np.inf
        inter = means.min(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = (inter - intra) / np.maximum(intra, inter)
        values[own_size <= 1] = 0
        scores.append(float(np.nan_to_num(values).mean()))
    return scores


def _label_codes(labels: np.ndarray, n_rows: int) -> tuple[np.ndarray, int]:
    """0-based codes of ``labels`` and their count, checked: 2 <= count < n_rows."""
    _, codes = np.unique(np.asarray(labels), return_inverse=True)
    count = int(codes.max()) + 1 if len(codes) else 0
    if not 2 <= count < n_rows:
        raise ValueError(
            f"{count} clusters in {n_rows} rows: a cluster index needs 2 to {n_rows - 1}"
        )
    return codes.reshape(-1), count


def calinski_harabasz(X: np.ndarray, labels: np.ndarray) -> float:
    """Calinski-Harabasz index: between- over within-cluster dispersion, each divided by
    its degrees of freedom (higher is better). The formula and the order of the sums of
    ``sklearn.metrics.calinski_harabasz_score``, without its input validation (tested
    equal)."""
    X = np.asarray(X, dtype=float)
    codes, k = _label_codes(labels, len(X))
    extra, intra = 0.0, 0.0
    mean = X.mean(axis=0)
    for cluster in range(k):
        members = X[codes == cluster]
        center = members.mean(axis=0)
        extra += members.shape[0] * np.sum((center - mean) ** 2)
        intra += np.sum((members - center) ** 2)
    return float(1.0 if intra == 0.0 else extra * (len(X) - k) / (intra * (k - 1.0)))


def davies_bouldin(X: np.ndarray, labels: np.ndarray) -> float:
    """Davies-Bouldin index: the mean over clusters of the largest (spread_i + spread_j)
    / distance(center_i, center_j), spread = mean distance of the members to their
    center (lower is better). ``sklearn.metrics.davies_bouldin_score``'s definition and
    edge cases; distances are computed directly rather than by scikit-learn's
    dot-product expansion, so the two agree to rounding (tested)."""
    X = np.asarray(X, dtype=float)
    codes, k = _label_codes(labels, len(X))
    centers = np.empty((k, X.shape[1]))
    spreads = np.empty(k)
    for cluster in range(k):
        members = X[codes == cluster]
        centers[cluster] = members.mean(axis=0)
        spreads[cluster] = np.sqrt(((members - centers[cluster]) ** 2).sum(axis=1)).mean()
    gaps = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    if np.allclose(spreads, 0) or np.allclose(gaps, 0):
        return 0.0
    gaps[gaps == 0] = np.inf
    return float(np.mean(np.max((spreads[:, None] + spreads) / gaps, axis=1)))


def _small_codes(labels: np.ndarray) -> np.ndarray:
    """Non-negative int64 codes of ``labels``: small non-negative integers (KMeans
    labels) as they are, anything else through ``np.unique`` (a sort). Unused codes only
    add empty rows or columns to a contingency table."""
    labels = np.asarray(labels).reshape(-1)
    if labels.dtype.kind in "iu" and len(labels) and labels.min() >= 0 and labels.max() < 4096:
        return labels.astype(np.int64)
    return np.unique(labels, return_inverse=True)[1].reshape(-1).astype(np.int64)


def adjusted_rand(labels_a: np.ndarray, labels_b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings of the same rows (1 = the same partition,
    about 0 = chance), from their contingency table in exact integer arithmetic: the
    formula of ``sklearn.metrics.adjusted_rand_score`` (tested equal)."""
    a, b = _small_codes(labels_a), _small_codes(labels_b)
    if len(a) != len(b):
        raise ValueError(f"labelings of {len(a)} and {len(b)} rows: they must label the same rows")
    columns = int(b.max()) + 1 if len(b) else 1
    table = np.bincount(a * columns + b).astype(np.int64)
    table = np.pad(table, (0, (-len(table)) % columns)).reshape(-1, columns)
    n = len(a)
    squares = int((table**2).sum())
    pairs_b_only = int((table @ table.sum(axis=0)).sum()) - squares
    pairs_a_only = int((table.T @ table.sum(axis=1)).sum()) - squares
    together = squares - n
    apart = n * n - pairs_b_only - pairs_a_only - squares
    if pairs_a_only == 0 and pairs_b_only == 0:
        return 1.0
    numerator = 2.0 * (together * apart - pairs_a_only * pairs_b_only)
    return numerator / (
        (together + pairs_a_only) * (pairs_a_only + apart)
        + (together + pairs_b_only) * (pairs_b_only + apart)
    )


def select_k(
    X: np.ndarray,
    k_values: Sequence[int],
    *,
    rule: str = "stable_separation",
    fixed_k: int | None = None,
    min_k: int = 3,
    min_stability: float = 0.9,
    random_state: int = 42,
    n_init: int = 4,
    silhouette_sample_size: int = 10_000,
    stability_runs: int = 3,
    stability_sample_fraction: float = 0.8,
    stability_max_rows: int = 10_000,
    max_fit_rows: int = 200_000,
    threads: int | None = 1,
    parallel_fits: int = 2,
) -> pd.DataFrame:
    """One row per candidate k with its quality figures and the chosen k flagged.

    Columns: k, inertia, silhouette, calinski_harabasz, davies_bouldin, stability_ari,
    is_chosen, selection_rule, fit_rows. Above ``max_fit_rows`` every figure is computed
    on one fixed-seed sample; silhouette on at most ``silhouette_sample_size`` rows of it;
    the stability refits on ``stability_runs`` fixed-seed subsamples of it, each
    ``stability_sample_fraction`` of its rows and at most ``stability_max_rows``.
    ``threads`` caps the OpenMP/BLAS threads of each fit (None: all cores);
    ``parallel_fits`` candidates are scored side by side in threads.

    Rules (k below ``min_k`` is never chosen, except by ``fixed``):

    - ``stable_separation`` (default): among k whose stability (mean adjusted Rand index
      of subsample refits) is at least ``min_stability``, the lowest Davies-Bouldin index
      (best-separated, compact segments); if no k is that stable, the most stable k.
      Silhouette alone favours k = 2 on skewed customer data, which a marketer cannot use.
    - ``silhouette``: the highest silhouette.
    - ``elbow``: the k farthest below the straight line joining the inertia of the
      smallest and largest candidate (kneedle).
    - ``fixed``: ``fixed_k``, which must be a candidate.
    """
    if rule not in SELECTION_RULES:
        raise ValueError(f"rule '{rule}' is not one of {', '.join(SELECTION_RULES)}")
    values = _validate_k_values(k_values, len(X))
    if rule == "fixed" and fixed_k not in values:
        raise ValueError(f"fixed_k {fixed_k} must be one of the candidate k values {values}")
    if rule != "fixed" and not any(k >= min_k for k in values):
        raise ValueError(f"no candidate k is at least min_k = {min_k}: widen k_values")
    if isinstance(parallel_fits, bool) or not isinstance(parallel_fits, int) or parallel_fits < 1:
        raise ValueError(
            f"parallel_fits must be a whole number of at least 1, got {parallel_fits!r}: "
            f"set it in {K_SETTING}"
        )

    with _thread_limit(threads):
        sample = X[_sample_rows(len(X), max_fit_rows, random_state)]

        def candidate(k: int) -> tuple[dict, np.ndarray]:
            """k's figures and labels, fitted on the whole sample."""
            model = _kmeans(k, n_init, random_state).fit(sample)
            figures = {
                "k": k,
                "inertia": float(model.inertia_),
                "calinski_harabasz": calinski_harabasz(sample, model.labels_),
                "davies_bouldin": davies_bouldin(sample, model.labels_),
                "fit_rows": len(sample),
            }
            return figures, model.labels_

        settings = (stability_runs, stability_sample_fraction, stability_max_rows, random_state)
        subsamples = {k: _subsamples(len(sample), k, *settings) for k in values}

        def refit(k: int, run: int) -> np.ndarray:
            """The labels that k's run-th stability refit (on a subsample, seed
            random_state + run) gives every row."""
            model = _kmeans(k, n_init, random_state + run).fit(sample[subsamples[k][run - 1]])
            return model.predict(sample)

        # fits side by side (their loops release the GIL), the largest k first so the
        # longest start first; each is seeded on its own, so the table is the same for
        # any number of parallel fits
        jobs = [(k, run) for k in reversed(values) for run in range(stability_runs + 1)]
        with _capped_pool(parallel_fits, threads) as pool:
            results = pool.map(lambda job: refit(*job) if job[1] else candidate(job[0]), jobs)
            fitted = dict(zip(jobs, results, strict=True))
        rows, labelings = [], []
        for k in values:
            figures, labels = fitted[k, 0]
            # mean adjusted Rand index between the fit's labels and the refits' labels of
            # every row (1 = the same partition every time)
            runs = range(1, stability_runs + 1)
            ari = [adjusted_rand(labels, fitted[k, run]) for run in runs]
            rows.append({**figures, "stability_ari": float(np.mean(ari))})
            labelings.append(labels)
        silhouettes = silhouette_scores(
            sample,
            labelings,
            min(silhouette_sample_size, len(sample)),
            random_state,
            threads=parallel_fits,
        )
        for row, silhouette in zip(rows, silhouettes, strict=True):
            row["silhouette"] = silhouette
    table = pd.DataFrame(rows)[
        [
            "k",
            "inertia",
            "silhouette",
            "calinski_harabasz",
            "davies_bouldin",
            "stability_ari",
            "fit_rows",
        ]
    ]
    chosen = _choose(table, rule, fixed_k, min_k, min_stability)
    table["is_chosen"] = table["k"] == chosen
    table["selection_rule"] = rule
    return table


def _choose(
    table: pd.DataFrame, rule: str, fixed_k: int | None, min_k: int, min_stability: float
) -> int:
    if rule == "fixed":
        return int(fixed_k)
    candidates = table.loc[table["k"] >= min_k]
    if rule == "silhouette":
        return int(candidates.sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0].k)
    if rule == "elbow":
        inertia = table["inertia"].to_numpy()
        line = np.interp(table["k"], table["k"].iloc[[0, -1]], inertia[[0, -1]])
        gaps = pd.Series(line - inertia, index=table["k"]).loc[candidates["k"]]
        return int(gaps.idxmax())
    stable = candidates.loc[candidates["stability_ari"] >= min_stability]
    if stable.empty:
        return int(
            candidates.sort_values(["stability_ari", "k"], ascending=[False, True]).iloc[0].k
        )
    return int(stable.sort_values(["davies_bouldin", "k"]).iloc[0].k)


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
    ``max_fit_rows`` and ``random_state``, so a million customers never become one
    matrix) passes it as ``X`` (and ``order_by``) with ``population_rows``, the number
    of rows it was drawn from: the centroids and their order are the same.
    """
    _validate_k_values([k], len(X))
    rows = _sample_rows(len(X), max_fit_rows, random_state)
    with _thread_limit(threads):
        model = _kmeans(k, n_init, random_state).fit(X[rows])
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
