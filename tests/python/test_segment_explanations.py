"""Each customer's segment explained, the runners-up and their shares, on the demo
build: the explanation terms are the exact decomposition of the nearest-centroid
decision and the listed ones the largest; the three segments are the three nearest; the
shares are the Gaussian-mixture posteriors (all checked against numpy on the registered
tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult

from customer_segmentation.segmentation.preprocessing import apply_preprocessing

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def scored(demo_build: DbtResult) -> dict:
    """customer_segments, and numpy's squared distances of the same customers to every
    registered centroid, in the registered model's standardized space."""
    segments = demo_build.query("select * from customer_segments order by customer_id")
    params = demo_build.query("select * from ml_segment_preprocessing")
    centroids = demo_build.query("select * from ml_segment_centroids")
    population = demo_build.query("select * from int_segmentation_population order by customer_id")
    kept = params.loc[~params.is_dropped].sort_values("feature_position")
    table = centroids.pivot(index="segment_id", columns="feature_name", values="centroid_scaled")
    table = table.sort_index()[kept.feature_name.tolist()]
    scaled = apply_preprocessing(population, params)
    squared = ((scaled[:, None, :] - table.to_numpy()[None, :, :]) ** 2).sum(axis=2)
    clustered = segments.set_index("customer_id").loc[population.customer_id]
    return {
        "segments": clustered,
        "squared": squared,
        "ids": table.index.to_numpy(),
        "scaled": scaled,
        "centroids": table,
        "features": kept.feature_name.tolist(),
        "population": population.set_index("customer_id"),
        "original": centroids.pivot(
            index="segment_id", columns="feature_name", values="centroid_value"
        ),
        "selection": demo_build.query("select * from ml_segment_model_selection where is_chosen"),
    }


def test_the_three_segments_are_the_three_nearest(scored: dict) -> None:
    segments, squared, ids = scored["segments"], scored["squared"], scored["ids"]
    order = np.argsort(squared, axis=1, kind="stable")
    for rank, column, distance in (
        (0, "segment_id", "distance"),
        (1, "second_segment_id", "second_distance"),
        (2, "third_segment_id", "third_distance"),
    ):
        np.testing.assert_array_equal(segments[column].to_numpy(), ids[order[:, rank]])
        expected = np.sqrt(np.take_along_axis(squared, order[:, [rank]], axis=1)[:, 0])
        np.testing.assert_allclose(segments[distance].to_numpy(), expected, rtol=1e-9)


def test_the_shares_are_the_mixture_posteriors(scored: dict) -> None:
    segments, squared, ids = scored["segments"], scored["squared"], scored["ids"]
    chosen = scored["selection"].iloc[0]
    variance = chosen.inertia / (chosen.fit_rows * len(scored["features"]))
    weights = np.exp(-(squared - squared.min(axis=1, keepdims=True)) / (2 * variance))
    posterior = weights / weights.sum(axis=1, keepdims=True)
    position = {segment: index for index, segment in enumerate(ids)}
    for column, share in (
        ("segment_id", "segment_share"),
        ("second_segment_id", "second_segment_share"),
        ("third_segment_id", "third_segment_share"),
    ):
        picked = segments[column].map(position).to_numpy()
        expected = posterior[np.arange(len(posterior)), picked]
        np.testing.assert_allclose(segments[share].to_numpy(), expected, rtol=1e-9, atol=1e-15)
    total = segments[["segment_share", "second_segment_share", "third_segment_share"]].sum(axis=1)
    assert (total <= 1 + 1e-12).all()
    assert (segments.segment_share >= segments.second_segment_share).all()


def test_the_explanations_are_the_largest_terms_of_the_distance_gap(scored: dict) -> None:
    segments, scaled, table = scored["segments"], scored["scaled"], scored["centroids"]
    first = table.loc[segments.segment_id].to_numpy()
    second = table.loc[segments.second_segment_id].to_numpy()
    terms = (scaled - second) ** 2 - (scaled - first) ** 2
    gap = segments.second_distance.to_numpy() ** 2 - segments.distance.to_numpy() ** 2
    np.testing.assert_allclose(terms.sum(axis=1), gap, rtol=1e-9, atol=1e-9)
    features = np.array(scored["features"])
    order = np.argsort(-terms, axis=1, kind="stable")
    for rank in range(3):
        picked = order[:, rank]
        value = terms[np.arange(len(terms)), picked]
        listed = segments[f"explanation_{rank + 1}_feature"].to_numpy()
        positive = value > 0
        np.testing.assert_array_equal(listed[positive], features[picked][positive])
        assert pd.isna(listed[~positive]).all()
        np.testing.assert_allclose(
            segments[f"explanation_{rank + 1}_contribution"].to_numpy()[positive],
            value[positive],
            rtol=1e-9,
            atol=1e-12,
        )
    # the customer's own value and the assigned centroid's, in original units
    row = segments.dropna(subset=["explanation_1_feature"]).iloc[0]
    feature = row.explanation_1_feature
    assert row.explanation_1_value == pytest.approx(scored["population"].loc[row.name, feature])
    assert row.explanation_1_centroid_value == pytest.approx(
        scored["original"].loc[row.segment_id, feature]
    )
