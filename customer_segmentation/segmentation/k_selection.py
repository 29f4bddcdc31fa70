"""K selection: every candidate k fitted and scored, and the one the configured rule chooses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from customer_segmentation.frames import sample_rows
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK, capped_pool, thread_limit
from customer_segmentation.segmentation.k_range import K_SETTING, validate_k_values
from customer_segmentation.segmentation.kmeans import kmeans_model
from customer_segmentation.segmentation.silhouette import silhouette_scores

SELECTION_RULES = ("stable_separation", "silhouette", "elbow", "fixed")


def _subsamples(
    n_rows: int, k: int, runs: int, fraction: float, max_rows: int, random_state: int
) -> list[np.ndarray]:
    """Sorted row positions of the stability refits' fixed-seed subsamples of k's fit.

    Each is ``fraction`` of the rows, at most ``max_rows`` (a cap that changes nothing up
    to max_rows / fraction rows and keeps the refits cheap above it)."""
    rng = np.random.default_rng(random_state)
    size = min(n_rows, max(min(int(fraction * n_rows), max_rows), k + 1))
    return [np.sort(rng.choice(n_rows, size, replace=False)) for _ in range(runs)]


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
    fit_rows, is_chosen, selection_rule, choice_reason (why, in words) and
    is_stability_fallback (stable_separation found no k stable enough). Above
    ``max_fit_rows`` every figure is computed on one fixed-seed sample; silhouette on at
    most ``silhouette_sample_size`` rows of it;
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
    values = validate_k_values(k_values, len(X))
    if rule == "fixed" and fixed_k not in values:
        raise ValueError(f"fixed_k {fixed_k} must be one of the candidate k values {values}")
    if rule != "fixed" and not any(k >= min_k for k in values):
        raise ValueError(f"no candidate k is at least min_k = {min_k}: widen k_values")
    if isinstance(parallel_fits, bool) or not isinstance(parallel_fits, int) or parallel_fits < 1:
        raise ValueError(
            f"parallel_fits must be a whole number of at least 1, got {parallel_fits!r}: "
            f"set it in {K_SETTING}"
        )

    with SKLEARN_IMPORT_LOCK:
        from sklearn.metrics import (
            adjusted_rand_score,
            calinski_harabasz_score,
            davies_bouldin_score,
        )
    with thread_limit(threads):
        sample = X[sample_rows(len(X), max_fit_rows, random_state)]

        def candidate(k: int) -> tuple[dict, np.ndarray]:
            """k's figures and labels, fitted on the whole sample."""
            model = kmeans_model(k, n_init, random_state).fit(sample)
            figures = {
                "k": k,
                "inertia": float(model.inertia_),
                "calinski_harabasz": float(calinski_harabasz_score(sample, model.labels_)),
                "davies_bouldin": float(davies_bouldin_score(sample, model.labels_)),
                "fit_rows": len(sample),
            }
            return figures, model.labels_

        settings = (stability_runs, stability_sample_fraction, stability_max_rows, random_state)
        subsamples = {k: _subsamples(len(sample), k, *settings) for k in values}

        def refit(k: int, run: int) -> np.ndarray:
            """The labels that k's run-th stability refit (on a subsample, seed
            random_state + run) gives every row."""
            model = kmeans_model(k, n_init, random_state + run).fit(sample[subsamples[k][run - 1]])
            return model.predict(sample)

        # fits side by side (their loops release the GIL), the largest k first so the
        # longest start first; each is seeded on its own, so the table is the same for
        # any number of parallel fits
        jobs = [(k, run) for k in reversed(values) for run in range(stability_runs + 1)]
        with capped_pool(parallel_fits, threads) as pool:
            results = pool.map(lambda job: refit(*job) if job[1] else candidate(job[0]), jobs)
            fitted = dict(zip(jobs, results, strict=True))
        rows, labelings = [], []
        for k in values:
            figures, labels = fitted[k, 0]
            # mean adjusted Rand index between the fit's labels and the refits' labels of
            # every row (1 = the same partition every time)
            runs = range(1, stability_runs + 1)
            ari = [adjusted_rand_score(labels, fitted[k, run]) for run in runs]
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
    return with_choice(table, rule, fixed_k, min_k, min_stability)


def with_choice(
    table: pd.DataFrame,
    rule: str = "stable_separation",
    fixed_k: int | None = None,
    min_k: int = 3,
    min_stability: float = 0.9,
) -> pd.DataFrame:
    """The scored candidates with the rule's choice: is_chosen, selection_rule,
    choice_reason and is_stability_fallback (also for a table registered before the
    reason was recorded: the figures and settings decide it again)."""
    chosen, reason = _choose(table, rule, fixed_k, min_k, min_stability)
    table = table.assign(is_chosen=table["k"] == chosen, selection_rule=rule)
    table["choice_reason"] = reason
    table["is_stability_fallback"] = reason.startswith("no k ")
    return table


def _choose(
    table: pd.DataFrame, rule: str, fixed_k: int | None, min_k: int, min_stability: float
) -> tuple[int, str]:
    """The chosen k and why, in words (only stable_separation can fall back)."""
    if rule == "fixed":
        return int(fixed_k), f"k = {fixed_k} is fixed by the configuration (fixed_k)"
    candidates = table.loc[table["k"] >= min_k]
    if rule == "silhouette":
        k = int(candidates.sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0].k)
        return k, f"k = {k} has the highest silhouette among k >= {min_k}"
    if rule == "elbow":
        inertia = table["inertia"].to_numpy()
        line = np.interp(table["k"], table["k"].iloc[[0, -1]], inertia[[0, -1]])
        gaps = pd.Series(line - inertia, index=table["k"]).loc[candidates["k"]]
        k = int(gaps.idxmax())
        return (
            k,
            f"k = {k} is farthest below the inertia's straight line (elbow) among k >= {min_k}",
        )
    stable = candidates.loc[candidates["stability_ari"] >= min_stability]
    if stable.empty:
        best = candidates.sort_values(["stability_ari", "k"], ascending=[False, True]).iloc[0]
        return int(best.k), (
            f"no k >= {min_k} reached the stability floor min_stability = {min_stability}: "
            f"k = {int(best.k)} is the most stable (stability_ari {best.stability_ari:.3f}); "
            "its segments may change between refits"
        )
    k = int(stable.sort_values(["davies_bouldin", "k"]).iloc[0].k)
    return k, (
        f"k = {k} has the lowest Davies-Bouldin index among k >= {min_k} with "
        f"stability_ari >= {min_stability}"
    )
