"""The mean silhouette of several labelings of the same rows, from one set of distances."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

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
