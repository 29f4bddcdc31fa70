"""K selection: the rules, determinism, errors, thread caps and the real-data targets."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from dbt_runner import shared_dataset

from customer_segmentation.segmentation.k_selection import _subsamples, select_k
from customer_segmentation.segmentation.preprocessing import (
    FeatureSpec,
    apply_preprocessing,
    fit_preprocessing,
)


def test_default_rule_finds_four_well_separated_blobs(blobs: np.ndarray) -> None:
    table = select_k(blobs, range(2, 8), min_k=2)
    assert table.loc[table.is_chosen, "k"].tolist() == [4]
    assert table.selection_rule.unique().tolist() == ["stable_separation"]
    assert table.stability_ari.between(-1, 1).all()
    assert table.choice_reason.unique().tolist() == [
        "k = 4 has the lowest Davies-Bouldin index among k >= 2 with stability_ari >= 0.9"
    ]
    assert not table.is_stability_fallback.any()


def test_no_k_stable_enough_is_said_and_flagged(blobs: np.ndarray) -> None:
    """An unreachable floor: the most stable k is taken, and the table says so."""
    table = select_k(blobs, range(2, 8), min_k=2, min_stability=1.01)
    chosen = table.loc[table.is_chosen].iloc[0]
    most_stable = table.sort_values(["stability_ari", "k"], ascending=[False, True]).iloc[0]
    assert chosen.k == most_stable.k
    assert table.is_stability_fallback.all()
    assert chosen.choice_reason.startswith(
        f"no k >= 2 reached the stability floor min_stability = 1.01: k = {chosen.k} is the "
        "most stable"
    )


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


def test_the_table_is_the_same_for_any_number_of_parallel_fits(blobs: np.ndarray) -> None:
    """Candidates and refits are fitted in worker threads, each with its own seed, and
    the table is assembled in k order whatever finishes first (that the workers keep the
    one-thread OpenMP cap is checked in a fresh process, below)."""
    one = select_k(blobs, list(range(2, 8)), parallel_fits=1)
    pd.testing.assert_frame_equal(select_k(blobs, list(range(2, 8)), parallel_fits=3), one)


def test_cluster_indices_are_scikit_learns_for_each_candidate(blobs: np.ndarray) -> None:
    """The Calinski-Harabasz and Davies-Bouldin index K selection reports are
    scikit-learn's figures of each candidate's labels, and its stability the mean
    adjusted Rand index of those labels against each refit's."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import (
        adjusted_rand_score,
        calinski_harabasz_score,
        davies_bouldin_score,
    )

    table = select_k(blobs, [2, 4, 7], min_k=2, stability_runs=2).set_index("k")
    for k in (2, 4, 7):
        labels = KMeans(k, n_init=4, random_state=42).fit(blobs).labels_
        assert table.loc[k, "calinski_harabasz"] == calinski_harabasz_score(blobs, labels)
        assert table.loc[k, "davies_bouldin"] == davies_bouldin_score(blobs, labels)
        refits = [
            KMeans(k, n_init=4, random_state=42 + run).fit(blobs[rows]).predict(blobs)
            for run, rows in enumerate(_subsamples(len(blobs), k, 2, 0.8, 10_000, 42), start=1)
        ]
        expected = np.mean([adjusted_rand_score(labels, refit) for refit in refits])
        assert table.loc[k, "stability_ari"] == expected


def test_the_largest_k_plus_one_customers_are_enough_for_k_selection(blobs: np.ndarray) -> None:
    """Every figure of K selection (silhouette, indices, stability subsamples) works with
    k_max + 1 customers, the minimum check_customer_count asks for."""
    table = select_k(blobs[:6], [2, 3, 4, 5], min_k=2, n_init=1)
    assert table["k"].tolist() == [2, 3, 4, 5]
    assert table["silhouette"].notna().all() and table["stability_ari"].notna().all()


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
from customer_segmentation.segmentation import k_selection
fit = k_selection.kmeans_model
seen = []


def spy(*args, **kwargs):
    model = fit(*args, **kwargs)
    seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")
    return model
k_selection.kmeans_model = spy
k_selection.select_k(np.random.default_rng(0).normal(size=(300, 3)), [3], threads=1)
print(sorted(set(seen)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[1]"]
