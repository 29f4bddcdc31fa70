"""The segment map's PCA: equal to scikit-learn up to the documented sign convention."""

from __future__ import annotations

import numpy as np
import pytest

from customer_segmentation.segmentation.projection import (
    fit_projection,
    loading_table,
    orient_components,
)


@pytest.fixture(scope="module")
def matrix() -> np.ndarray:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4))
    return (X - X.mean(axis=0)) / X.std(axis=0)


def test_coordinates_equal_scikit_learn_up_to_sign(matrix: np.ndarray) -> None:
    from sklearn.decomposition import PCA

    fitted = fit_projection(matrix, ["a", "b", "c", "d"])
    reference = PCA(n_components=2, svd_solver="full").fit(matrix)
    signs = np.sign((fitted.components * reference.components_).sum(axis=1))
    assert set(signs) <= {-1.0, 1.0}
    np.testing.assert_allclose(
        fitted.transform(matrix), reference.transform(matrix) * signs, atol=1e-9
    )


def test_largest_loading_of_each_component_is_positive(matrix: np.ndarray) -> None:
    components = fit_projection(matrix, ["a", "b", "c", "d"]).components
    largest = components[np.arange(2), np.abs(components).argmax(axis=1)]
    assert (largest > 0).all()
    # flipping the input's signs gives the same oriented components
    np.testing.assert_array_equal(orient_components(-components), components)


def test_loading_table_has_one_row_per_component_and_feature(matrix: np.ndarray) -> None:
    table = loading_table(fit_projection(matrix, ["a", "b", "c", "d"]))
    assert len(table) == 8
    assert table.groupby("component").explained_variance_ratio.first().is_monotonic_decreasing
    assert not table.is_sampled.any()


def test_above_max_fit_rows_a_fixed_sample_is_used(matrix: np.ndarray) -> None:
    first = fit_projection(matrix, list("abcd"), max_fit_rows=200, random_state=1)
    second = fit_projection(matrix, list("abcd"), max_fit_rows=200, random_state=1)
    assert first.is_sampled and first.fit_rows == 200
    np.testing.assert_array_equal(first.components, second.components)


def test_a_single_feature_gives_one_component() -> None:
    fitted = fit_projection(np.arange(10.0).reshape(-1, 1), ["only"])
    assert fitted.components.shape == (1, 1)


def test_mismatched_feature_names_are_refused(matrix: np.ndarray) -> None:
    with pytest.raises(ValueError, match="4 feature names"):
        fit_projection(matrix[:, :3], list("abcd"))


def test_covariance_solver_equals_the_full_svd_to_rounding() -> None:
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(11)
    X = rng.normal(size=(20_000, 8)) @ rng.normal(size=(8, 8))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    fitted = fit_projection(X, list("abcdefgh"))
    reference = PCA(n_components=2, svd_solver="full").fit(X)
    np.testing.assert_allclose(
        fitted.components, orient_components(reference.components_), atol=1e-12
    )
    np.testing.assert_allclose(fitted.explained_variance, reference.explained_variance_, rtol=1e-12)
    np.testing.assert_allclose(
        fitted.explained_variance_ratio, reference.explained_variance_ratio_, rtol=1e-12
    )
