"""Online Retail split in time (scripts/online_retail_time_split.py): fit on the first
nine months, score every month in a second, score-mode build; the migration and drift
it prints are checked against the data and the database it leaves. Skipped, with the
reason, where ../shared is absent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR, shared_dataset

pytestmark = [pytest.mark.dbt, pytest.mark.shared_data]

ONLINE_RETAIL = "online_retail/online_retail.csv.gz"
SPLIT = "2011-09-01"
FEATURES = ["recency_days", "frequency", "monetary_total"]


@pytest.fixture(scope="module")
def split_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = shared_dataset(ONLINE_RETAIL)
    work = tmp_path_factory.mktemp("online_retail_time_split")
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "online_retail_time_split.py"),
            "--data",
            str(data),
            "--work-dir",
            str(work),
            "--split-date",
            SPLIT,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    # the split's builds are selections: they publish nothing, so read the workspace
    workspace = work / "online_retail_time_split.workspace.duckdb"
    with duckdb.connect(str(workspace), read_only=True) as con:
        tables = {
            name: con.sql(f"select * from marts.{name}").df()
            for name in ("segment_migration", "feature_drift", "segment_model_registry")
        }
    raw = pd.read_csv(data, usecols=["CustomerID", "InvoiceDate"], dtype=str)
    raw = raw.loc[raw["CustomerID"].notna()]
    before = raw.loc[pd.to_datetime(raw["InvoiceDate"]) < pd.Timestamp(SPLIT), "CustomerID"]
    return {
        "stdout": completed.stdout,
        **tables,
        "customers_before": before.nunique(),
        "customers_all": raw["CustomerID"].nunique(),
    }


def test_second_run_did_not_refit(split_run: dict) -> None:
    assert len(split_run["segment_model_registry"]) == 1
    versions = [
        line for line in split_run["stdout"].splitlines() if line.startswith("Model version")
    ]
    assert len(versions) == 1
    fit, score = versions[0].split("`")[1], versions[0].split("`")[3]
    assert fit == score == split_run["segment_model_registry"]["model_version"].item()


def test_migration_counts_add_up_to_the_customers_of_both_runs(split_run: dict) -> None:
    migration = split_run["segment_migration"]
    before, everyone = split_run["customers_before"], split_run["customers_all"]
    assert before < everyone
    # cumulative features: every customer of run 1 is scored again, none churns
    assert migration["customers"].sum() == everyone
    assert migration.loc[migration["from_segment"] != "new", "customers"].sum() == before
    assert migration.loc[migration["from_segment"] == "new", "customers"].sum() == everyone - before
    assert "churned" not in set(migration["to_segment"])
    assert migration["from_scored_at"].notna().all()
    assert (migration["from_scored_at"] < migration["to_scored_at"]).all()


def test_drift_is_computed_for_every_model_feature(split_run: dict) -> None:
    drift = split_run["feature_drift"].set_index("feature_name")
    assert sorted(drift.index) == sorted(FEATURES)
    assert drift["psi"].notna().all() and (drift["psi"] >= 0).all()
    assert (drift["training_rows"] == split_run["customers_before"]).all()
    assert (drift["scored_rows"] == split_run["customers_all"]).all()
    # three more months of purchases: the median customer bought at least as often
    assert drift.loc["frequency", "scored_p50"] >= drift.loc["frequency", "training_p50"]
    levels = pd.cut(
        drift["psi"],
        [-1, 0.1, 0.25, float("inf")],
        right=False,
        labels=["none", "moderate", "significant"],
    )
    assert drift["drift_level"].tolist() == levels.astype(str).tolist()
    for feature in FEATURES:
        assert f"| {feature} |" in split_run["stdout"]


def test_script_skips_with_a_reason_without_the_data(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "online_retail_time_split.py"),
            "--data",
            str(tmp_path / "absent.csv.gz"),
            "--work-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    assert completed.stdout.startswith("Skipped:") and "not found" in completed.stdout
