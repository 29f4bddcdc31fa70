"""Segment migration and feature drift through two real dbt builds on the demo data.

The first build fits the model on the demo customers (read as files); the second, in
score mode, reads a changed copy: 200 customers gone, 300 clones of others added (a
resample), and every annual income doubled. The migration must account for every
customer of both scorings exactly as their assignments say, and the drift must flag
annual income, and only it, naming it in the warning of feature_drift_below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult, copy_build, run_dbt
from demo_inputs import changed_customers, read_demo, write_inputs

from customer_segmentation.lifecycle.mode import RETRAIN_HINT

pytestmark = pytest.mark.dbt

INPUTS = ("customers", "transactions", "credit_accounts")
SELECT = [
    "--select",
    "+segment_migration",
    "+feature_drift",
    "+segment_model_registry",
    "+segment_model_registry_feature_bins",
]
GONE, CLONED = 200, 300
ASSIGNMENTS = "select customer_id, segment_id from customer_segments"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The fit on the demo data, then a score-mode build of the changed data, on one
    database; with the assignments after each."""
    work = tmp_path_factory.mktemp("migration_run")
    inputs = tmp_path_factory.mktemp("migration_inputs")
    tables = {name: read_demo(name) for name in INPUTS}
    last_day = pd.to_datetime(tables["transactions"]["transacted_at"]).max().normalize()
    variables = {
        "input_source": "files",
        "input_file_template": f"{inputs}/{{name}}.csv",
        "optional_inputs": ["transactions", "credit_accounts"],
        "as_of_date": (last_day + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
    }
    write_inputs(inputs, tables)
    first = run_dbt(work, "build", *SELECT, variables=variables)
    first_assignments = first.query(ASSIGNMENTS)
    first_drift = first.query("select * from feature_drift")
    first_registry = first.query("select * from segment_model_registry")
    first_migration = first.query("select * from segment_migration")
    first_features = first.query(
        "select feature_name from ml_segment_preprocessing where not is_dropped"
    )
    write_inputs(inputs, changed_customers(tables, GONE, CLONED, 2))
    second = run_dbt(work, "build", *SELECT, variables=variables)
    strict_dir = copy_build(second, tmp_path_factory.mktemp("migration_strict"))
    strict = run_dbt(
        strict_dir,
        "test",
        "--select",
        "feature_drift",
        variables={**variables, "drift_strict": True},
        check=False,
    )
    return {
        "first": first,
        "first_assignments": first_assignments,
        "first_drift": first_drift,
        "first_registry": first_registry,
        "first_migration": first_migration,
        "first_features": first_features,
        "second": second,
        "strict": strict,
        "variables": variables,
    }


def test_first_scoring_counts_every_customer_as_new(builds: dict) -> None:
    migration = builds["first_migration"]
    assert migration["from_scored_at"].isna().all()
    assert set(migration["from_segment"]) == {"new"}
    assert migration["customers"].sum() == len(builds["first_assignments"]) == 5000
    expected = builds["first_assignments"]["segment_id"].value_counts()
    counts = migration.set_index("to_segment_id")["customers"]
    pd.testing.assert_series_equal(
        counts.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )


def test_drift_of_the_training_data_against_itself_is_zero(builds: dict) -> None:
    drift = builds["first_drift"]
    features = builds["first_features"]
    assert sorted(drift["feature_name"]) == sorted(features["feature_name"])
    assert (drift["psi"].abs() < 1e-12).all()
    assert (drift["drift_level"] == "none").all()
    for column in ("mean_shift_std_devs", "p10_shift", "p50_shift", "p90_shift"):
        assert (drift[column].fillna(0).abs() < 1e-9).all(), column


def test_score_mode_build_did_not_refit(builds: dict) -> None:
    second: DbtResult = builds["second"]
    registry = second.query("select * from segment_model_registry")
    pd.testing.assert_frame_equal(registry, builds["first_registry"])
    bins_versions = second.query(
        "select distinct model_version from segment_model_registry_feature_bins"
    )
    assert bins_versions["model_version"].tolist() == registry["model_version"].tolist()


def test_migration_counts_every_customer_of_both_scorings(builds: dict) -> None:
    second: DbtResult = builds["second"]
    before = builds["first_assignments"].set_index("customer_id")["segment_id"]
    after = second.query(ASSIGNMENTS).set_index("customer_id")["segment_id"]
    moves = pd.concat(
        [before.astype("string").rename("from"), after.astype("string").rename("to")], axis=1
    )
    moves["from"] = moves["from"].fillna("new")
    moves["to"] = moves["to"].fillna("churned")
    expected = {(str(a), str(b)): int(n) for (a, b), n in moves.value_counts().items()}

    migration = second.query("select * from segment_migration")
    ours = {
        (row.from_segment, row.to_segment): int(row.customers) for row in migration.itertuples()
    }
    assert ours == expected
    assert migration["customers"].sum() == 5000 + CLONED
    assert migration.loc[migration["from_segment"] == "new", "customers"].sum() == CLONED
    assert migration.loc[migration["to_segment"] == "churned", "customers"].sum() == GONE
    # the earlier scoring is the first build's
    assert migration["from_scored_at"].nunique() == 1
    first_scored = builds["first_migration"]["to_scored_at"].iloc[0]
    assert migration["from_scored_at"].iloc[0] == first_scored
    assert (migration["to_scored_at"] > first_scored).all()
    shares = migration.groupby("from_segment")["share_of_from_segment"].sum()
    np.testing.assert_allclose(shares, 1.0)


def test_drift_flags_the_shifted_feature_and_only_it(builds: dict) -> None:
    second: DbtResult = builds["second"]
    drift = second.query("select * from feature_drift").set_index("feature_name")
    assert drift.loc["annual_income", "drift_level"] == "significant"
    others = drift.drop(index="annual_income")
    assert (others["drift_level"] == "none").all(), others["psi"].to_dict()
    # doubled incomes: every quantile and the mean double (clones and removals aside)
    income = drift.loc["annual_income"]
    assert income["scored_p50"] / income["training_p50"] == pytest.approx(2, rel=0.05)
    assert income["scored_mean"] / income["training_mean"] == pytest.approx(2, rel=0.05)


def test_psi_equals_an_independent_computation_from_the_stored_bins(builds: dict) -> None:
    second: DbtResult = builds["second"]
    bins = second.query(
        "select * from ml_segment_feature_bins where feature_name = 'annual_income' "
        "order by bin_number"
    )
    # the values the mart reads: the customers K-Means scores (staging deduplicates the
    # demo's two repeated customers)
    customers = second.query("select annual_income from int_segmentation_population")[
        "annual_income"
    ]
    edges = bins.loc[bins["bin_number"] > 0, "upper_edge"].dropna().to_numpy()
    values = customers.dropna().to_numpy()
    counts = [
        customers.isna().sum(),
        *np.bincount(np.searchsorted(edges, values), minlength=len(edges) + 1),
    ]
    actual = np.maximum(np.array(counts) / len(customers), 1e-4)
    expected = np.maximum(bins["training_share"].to_numpy(), 1e-4)
    psi = float(((actual - expected) * np.log(actual / expected)).sum())
    ours = second.query("select psi from feature_drift where feature_name = 'annual_income'")
    assert ours["psi"].item() == pytest.approx(psi, rel=1e-9)


def test_drift_warning_names_the_drifting_feature(builds: dict) -> None:
    second: DbtResult = builds["second"]
    lines = [line for line in second.output.splitlines() if "Feature drift warning" in line]
    assert len(lines) == 1
    assert "'annual_income' (PSI" in lines[0]
    assert "household_size" not in lines[0] and "recency_days" not in lines[0]
    # the retrain hint every message gives (README "To retrain")
    assert RETRAIN_HINT in lines[0]
    assert "feature_drift_below" in second.output


def test_drift_strict_fails_the_test_naming_the_feature(builds: dict) -> None:
    strict: DbtResult = builds["strict"]
    assert strict.returncode != 0
    assert "Feature drift error in feature_drift" in strict.output
    assert "'annual_income'" in strict.output


def test_migration_between_configured_dates(builds: dict, tmp_path: Path) -> None:
    second: DbtResult = builds["second"]
    copy_build(second, tmp_path)
    first_day = builds["first_migration"]["to_scored_at"].iloc[0].normalize()
    before = (first_day - pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    today = second.query("select max(to_scored_at) as t from segment_migration")["t"].iloc[0]
    today = today.normalize()
    # from a date before any scoring: everyone scored by the date `to` is new
    dated = run_dbt(
        tmp_path,
        "run",
        "--select",
        "segment_migration",
        variables={
            **builds["variables"],
            "segment_migration_from": before,
            "segment_migration_to": today.strftime("%Y-%m-%d"),
        },
    )
    migration = dated.query("select * from segment_migration")
    assert migration["from_scored_at"].isna().all()
    assert set(migration["from_segment"]) == {"new"}
    assert migration["customers"].sum() == 5000 - GONE + CLONED
    # the dates the wrong way round: a message saying how to set them
    wrong = run_dbt(
        tmp_path,
        "run",
        "--select",
        "segment_migration",
        variables={
            **builds["variables"],
            "segment_migration_from": today.strftime("%Y-%m-%d"),
            "segment_migration_to": before,
        },
        check=False,
    )
    assert wrong.returncode != 0
    assert "var segment_migration_from" in wrong.output and "must be a date before" in wrong.output
