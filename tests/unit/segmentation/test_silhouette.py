"""The shared-distance silhouette is scikit-learn's silhouette_score of each labeling."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation.segmentation.silhouette import silhouette_scores


@pytest.mark.parametrize("sample_size", [1200, 500])
def test_shared_silhouette_equals_scikit_learn(blobs: np.ndarray, sample_size: int) -> None:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    labelings = [KMeans(k, n_init=1, random_state=0).fit(blobs).labels_ for k in (2, 4, 7)]
    # a one-row cluster, on a row the sample draws
    single = np.zeros(len(blobs), dtype=int)
    single[np.random.RandomState(3).permutation(len(blobs))[0]] = 1
    labelings.append(single)
    expected = [
        silhouette_score(blobs, labels, sample_size=sample_size, random_state=3)
        for labels in labelings
    ]
    ours = silhouette_scores(blobs, labelings, sample_size, random_state=3, block_rows=256)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)
    one_thread = silhouette_scores(blobs, labelings, sample_size, 3, block_rows=256, threads=1)
    assert one_thread == ours
