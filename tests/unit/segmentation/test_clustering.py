"""K selection and fitting: rules, determinism, errors, and the real-data targets."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from dbt_runner import shared_dataset
from sklearn.datasets import make_blobs

from customer_segmentation.segmentation.clustering import (
    DEFAULT_K_MAX,
    DEFAULT_K_MIN,
    _sample_rows,
    adjusted_rand,
    assign_segments,
    calinski_harabasz,
    check_customer_count,
    configured_k_range,
    davies_bouldin,
    fit_segments,
    k_range,
    select_k,
    silhouette_scores,
)
from customer_segmentation.segmentation.preprocessing import (
    FeatureSpec,
    apply_preprocessing,
    fit_preprocessing,
)


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    X, _ = make_blobs(n_samples=1200, centers=4, cluster_std=0.6, random_state=7)
    return (X - X.mean(axis=0)) / X.std(axis=0)


def test_default_rule_finds_four_well_separated_blobs(blobs: np.ndarray) -> None:
    table = select_k(blobs, range(2, 8), min_k=2)
    assert table.loc[table.is_chosen, "k"].tolist() == [4]
    assert table.selection_rule.unique().tolist() == ["stable_separation"]
    assert table.stability_ari.between(-1, 1).all()


@pytest.mark.parametrize(("rule", "expected"), [("silhouette", 4), ("elbow", 4), ("fixed", 6)])
def test_other_rules(blobs: np.ndarray, rule: str, expected: int) -> None:
    table = select_k(blobs, list(range(2, 8)), rule=rule, fixed_k=6, min_k=2)
    assert table.loc[table.is_chosen, "k"].tolist() == [expected]


def test_min_k_is_never_undercut(blobs: np.ndarray) -> None:
    table = select_k(blobs, list(range(2, 8)), min_k=5)
    assert table.loc[table.is_chosen, "k"].item() >= 5


def test_invalid_requests_say_what_to_change(blobs: np.ndarray) -> None:
    with pytest.raises(ValueError, match=r"needs at least 21 customers for k = 3\.\.20"):
        select_k(blobs[:10], [3, 20])
    with pytest.raises(ValueError, match="ascending without repeats"):
        select_k(blobs, [5, 3])
    with pytest.raises(ValueError, match="at least 2"):
        select_k(blobs, [1, 2])
    with pytest.raises(ValueError, match="fixed_k 9 must be one of"):
        select_k(blobs, [2, 3], rule="fixed", fixed_k=9)
    with pytest.raises(ValueError, match="rule 'best'"):
        select_k(blobs, [2, 3], rule="best")
    with pytest.raises(ValueError, match="parallel_fits must be a whole number"):
        select_k(blobs, [2, 3], parallel_fits=0)


def test_k_range_is_validated_with_the_setting_to_change() -> None:
    assert k_range(3, 5) == [3, 4, 5]
    assert k_range(4, 4) == [4]
    with pytest.raises(ValueError, match=r"k_min \(6\) is greater than k_max \(4\)"):
        k_range(6, 4)
    with pytest.raises(ValueError, match=r"k_min must be at least 2 \(.*\), got 1"):
        k_range(1, 4)
    for bad in (4.0, "8", True, None):
        with pytest.raises(ValueError, match="k_max must be a whole number"):
            k_range(3, bad)
    with pytest.raises(ValueError, match="var segment_k_selection"):
        k_range(0, 4)


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


def test_the_table_is_the_same_for_any_number_of_parallel_fits(blobs: np.ndarray) -> None:
    """Candidates and refits are fitted in worker threads, each with its own seed, and
    the table is assembled in k order whatever finishes first (that the workers keep the
    one-thread OpenMP cap is checked in a fresh process, below)."""
    one = select_k(blobs, list(range(2, 8)), parallel_fits=1)
    pd.testing.assert_frame_equal(select_k(blobs, list(range(2, 8)), parallel_fits=3), one)


def test_cluster_indices_equal_scikit_learn(blobs: np.ndarray) -> None:
    """The numpy Calinski-Harabasz, Davies-Bouldin and adjusted Rand index that K
    selection reports are scikit-learn's figures (string labels, gaps in the label
    values, a one-row cluster and a tied partition included)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import (
        adjusted_rand_score,
        calinski_harabasz_score,
        davies_bouldin_score,
    )

    labelings = [KMeans(k, n_init=1, random_state=0).fit(blobs).labels_ for k in (2, 4, 7)]
    labelings.append(np.where(blobs[:, 0] > 0, "high", "low"))
    gaps = labelings[1] * 10
    gaps[0] = 99  # a one-row cluster
    labelings.append(gaps)
    for labels in labelings:
        assert calinski_harabasz(blobs, labels) == calinski_harabasz_score(blobs, labels)
        np.testing.assert_allclose(
            davies_bouldin(blobs, labels), davies_bouldin_score(blobs, labels), rtol=1e-10
        )
        for other in labelings:
            assert adjusted_rand(labels, other) == adjusted_rand_score(labels, other)
    assert adjusted_rand([0, 0, 1, 1], [5, 5, 2, 2]) == 1.0
    with pytest.raises(ValueError, match="1 clusters in 1200 rows"):
        calinski_harabasz(blobs, np.zeros(len(blobs)))


@pytest.mark.parametrize(
    ("customers", "k_values", "message"),
    [
        (
            12,
            [3, 20],
            "at least 21 customers for k = 3..20 (one more than the largest k), "
            "and int_customer_features has 12: set k_max to at most 11 in var segment_k_selection",
        ),
        (
            4,
            [5, 6],
            "at least 7 customers for k = 5..6 (one more than the largest k), and "
            "int_customer_features has 4: set k_min and k_max to at most 3",
        ),
        (
            2,
            [3, 10],
            "at least 11 customers for k = 3..10 (one more than the largest k), and "
            "int_customer_features has 2: no k range can segment 2 (k = 2 needs 3)",
        ),
        (
            1,
            [2],
            "at least 3 customers for k = 2 (one more than the largest k), and "
            "int_customer_features has 1: no k range can segment 1",
        ),
    ],
    ids=["k_max_too_large", "whole_range_too_large", "two_customers", "one_customer"],
)
def test_too_few_customers_say_how_many_segmentation_needs(
    customers: int, k_values: list[int], message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        check_customer_count(customers, k_values)
    assert message in str(raised.value)
    check_customer_count(max(k_values) + 1, k_values)  # one more than the largest k is enough


def test_the_largest_k_plus_one_customers_are_enough_for_k_selection(blobs: np.ndarray) -> None:
    """Every figure of K selection (silhouette, indices, stability subsamples) works with
    k_max + 1 customers, the minimum check_customer_count asks for."""
    table = select_k(blobs[:6], [2, 3, 4, 5], min_k=2, n_init=1)
    assert table["k"].tolist() == [2, 3, 4, 5]
    assert table["silhouette"].notna().all() and table["stability_ari"].notna().all()


def test_configured_k_range_falls_back_to_the_shipped_range() -> None:
    import yaml
    from dbt_runner import PROJECT_DIR

    spec = yaml.safe_load(
        (PROJECT_DIR / "python_models" / "ml_segment_model_selection.yml").read_text()
    )
    shipped = spec["models"][0]["config"]["meta"]["k_selection"]
    assert (shipped["k_min"], shipped["k_max"]) == (DEFAULT_K_MIN, DEFAULT_K_MAX)
    assert configured_k_range({}) == list(range(DEFAULT_K_MIN, DEFAULT_K_MAX + 1))
    assert configured_k_range({"k_max": 5, "rule": "fixed"}) == [3, 4, 5]
    with pytest.raises(ValueError, match="k_max must be a whole number"):
        configured_k_range({"k_max": 4.5})


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
    rows = _sample_rows(len(blobs), 500, 3)  # the rows fetch_rows hands over
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


def test_cc_general_default_rule_picks_a_usable_k() -> None:
    frame = pd.read_csv(shared_dataset("cc_general/CC_GENERAL.csv")).drop(columns="CUST_ID")
    money = {
        "BALANCE",
        "PURCHASES",
        "ONEOFF_PURCHASES",
        "INSTALLMENTS_PURCHASES",
        "CASH_ADVANCE",
        "CASH_ADVANCE_TRX",
        "PURCHASES_TRX",
        "CREDIT_LIMIT",
        "PAYMENTS",
        "MINIMUM_PAYMENTS",
    }
    specs = [FeatureSpec(c, "median", "log1p" if c in money else "none") for c in frame]
    X = apply_preprocessing(frame, fit_preprocessing(frame, specs))

    table = select_k(X, list(range(3, 11)))
    chosen = table.loc[table.is_chosen].iloc[0]
    assert 4 <= chosen.k <= 8
    assert chosen.stability_ari >= 0.9


def test_mall_customers_default_rule_picks_five() -> None:
    frame = pd.read_csv(shared_dataset("mall_customers/Mall_Customers.csv"))
    features = ["Annual Income (k$)", "Spending Score (1-100)"]
    X = apply_preprocessing(frame, fit_preprocessing(frame, [FeatureSpec(f) for f in features]))

    table = select_k(X, list(range(3, 11)))
    assert table.loc[table.is_chosen, "k"].tolist() == [5]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every thread cap is 1 anyway")
def test_thread_cap_reaches_the_fits_in_a_fresh_process() -> None:
    """threadpoolctl caps only loaded libraries: in a dbt process the first fit imports
    scikit-learn (its OpenMP runtime) inside the cap, which must still apply to it, and
    in the worker threads that fit candidates side by side (OpenMP's cap is per thread:
    without each worker's own cap this saw 2)."""
    code = """
import numpy as np
from threadpoolctl import threadpool_info
from customer_segmentation.segmentation import clustering
fit = clustering._kmeans
seen = []
def spy(*args, **kwargs):
    model = fit(*args, **kwargs)
    seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")
    return model
clustering._kmeans = spy
clustering.select_k(np.random.default_rng(0).normal(size=(300, 3)), [3], threads=1)
print(sorted(set(seen)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[1]"]
