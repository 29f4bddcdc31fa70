"""The K-Means fit: deterministic, ordered centroids and the nearest-centroid rule."""

from __future__ import annotations

import numpy as np

from customer_segmentation.frames import sample_rows
from customer_segmentation.segmentation.kmeans import assign_segments, fit_segments


def test_fit_is_deterministic_and_ordered(blobs: np.ndarray) -> None:
    value = blobs[:, 0]
    first = fit_segments(blobs, 4, order_by=value)
    again = fit_segments(blobs, 4, order_by=value)
    np.testing.assert_array_equal(first.centroids, again.centroids)

    ids = assign_segments(blobs, first.centroids)
    means = [value[ids == segment].mean() for segment in range(1, 5)]
    assert means == sorted(means, reverse=True)  # segment 1 has the highest value


def test_assignment_matches_kmeans_predict(blobs: np.ndarray) -> None:
    from sklearn.cluster import KMeans

    model = KMeans(4, n_init=3, random_state=1).fit(blobs)
    np.testing.assert_array_equal(
        assign_segments(blobs, model.cluster_centers_) - 1, model.predict(blobs)
    )


def test_large_inputs_fit_on_a_fixed_sample(blobs: np.ndarray) -> None:
    fitted = fit_segments(blobs, 4, max_fit_rows=500)
    assert fitted.is_sampled and fitted.fit_rows == 500


def test_a_sample_the_caller_drew_gives_the_same_fit_and_order(blobs: np.ndarray) -> None:
    value = blobs[:, 0]
    whole = fit_segments(blobs, 4, order_by=value, max_fit_rows=500, random_state=3)
    rows = sample_rows(len(blobs), 500, 3)  # the rows fetch_rows hands over
    drawn = fit_segments(
        blobs[rows],
        4,
        order_by=value[rows],
        max_fit_rows=500,
        random_state=3,
        population_rows=len(blobs),
    )
    np.testing.assert_array_equal(drawn.centroids, whole.centroids)
    assert drawn.is_sampled and drawn.fit_rows == 500
    # each fit row's segment id, in the fit's order: its nearest centroid
    np.testing.assert_array_equal(drawn.labels, assign_segments(blobs[rows], drawn.centroids))
    np.testing.assert_array_equal(whole.labels, drawn.labels)
    # ordered by the mean value of each segment's members among the fit rows
    ids = assign_segments(blobs[rows], drawn.centroids)
    means = [value[rows][ids == segment].mean() for segment in range(1, 5)]
    assert means == sorted(means, reverse=True)
