"""The benchmark script at a tiny scale, so it cannot rot between benchmark runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR

pytestmark = pytest.mark.dbt


def test_feature_benchmark_runs_and_reports_a_row() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "benchmark_features.py"),
            "--scales",
            "2000",
            "--repeats",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    rows = [line for line in completed.stdout.splitlines() if line.startswith("| 2,000 |")]
    assert len(rows) == 1
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert cells[1] == "40,000"
    assert all(float(cell) > 0 for cell in cells[2:])


def test_segmentation_benchmark_runs_and_reports_every_stage() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "benchmark_segmentation.py"),
            "--customers",
            "3000",
            "--features",
            "4",
            "--repeats",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    rows = {
        (cells[0], cells[3]) if cells[0] in ("K selection", "SQL scoring") else cells[0]: cells
        for line in completed.stdout.splitlines()
        if line.startswith("| ")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    stages = [key for key in rows if isinstance(key, tuple)] + ["final fit"]
    assert len(stages) == 7
    for stage in stages:
        model_seconds, floor_seconds, ratio = (float(rows[stage][i]) for i in (2, 4, 5))
        assert model_seconds > 0 and floor_seconds >= 0 and ratio > 0
    assert float(rows["**layer wall**"][2]) > 0
    assert "3,000 customers x 4 features, chosen k = " in completed.stdout
    assert "import of scikit-learn in a fresh process" in completed.stdout


def test_end_to_end_benchmark_builds_both_pipelines_and_reports_every_stage(
    tmp_path: Path,
) -> None:
    """One round at 2,000 customers: the full dbt build, the floors and the pandas
    pipeline all run on the same generated inputs, and the report carries their figures."""
    work, results_file = tmp_path / "work", tmp_path / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "benchmark_end_to_end.py"),
            *("--scales", "2000", "--repeats", "1"),
            *("--work-dir", str(work), "--json", str(results_file)),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    [result] = json.loads(results_file.read_text())
    [build], [floors], [pandas] = result["builds"], result["floors"], result["pandas"]

    # the build ran every node and none failed; every stage took time
    assert set(build["statuses"]) <= {"success", "pass", "warn", "no-op"}
    assert build["statuses"]["success"] > 20 and build["statuses"]["pass"] > 100
    assert all(build["stages"][key] > 0 for key in ("features", "segmentation", "propensity"))
    assert build["wall"] > 0 and build["rss"] > 100
    assert all(floors[key] > 0 for key in ("rfm_query", "selection", "final_fit"))
    assert floors["propensity_fit"] > 0 and floors["propensity_fit_one_call"] > 0
    assert 100 < floors["propensity_rows"] < 300

    # both pipelines segmented and scored the same 2,000 customers
    with duckdb.connect(str(work / "work_2000" / "dbt.duckdb"), read_only=True) as connection:
        customers, segments = connection.execute(
            "select count(*), count(distinct segment_id) from marts.customer_segments"
        ).fetchone()
        chosen_k = connection.execute(
            "select k from marts.segment_model_selection where is_chosen"
        ).fetchone()[0]
    assert customers == 2000 and segments == chosen_k == floors["chosen_k"]
    reference = pd.read_parquet(work / "work_2000" / "pandas_output" / "customer_segments.parquet")
    assert len(reference) == pandas["customers"] == 2000
    assert reference["customer_id"].is_unique
    assert set(reference["segment_id"]) == set(range(1, pandas["chosen_k"] + 1))
    assert reference["propensity_score"].between(0, 1).all()
    assert set(reference["propensity_decile"]) == set(range(1, 11))
    assert 100 < pandas["contacted"] < 300 and 0 < pandas["oof_roc_auc"] < 1
    assert 30_000 < pandas["transaction_lines"] <= 40_000

    # the printed tables carry the same figures
    rows = {
        cells[0]: cells
        for line in completed.stdout.splitlines()
        if line.startswith("| ")
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    assert float(rows["dbt build"][1]) == round(build["wall"], 1)
    assert float(rows["pandas pipeline"][1]) == round(pandas["wall"], 1)
    for stage in ("K selection (ml_segment_model_selection)", "final fit (ml_segment_centroids)"):
        dbt_seconds, floor_seconds, ratio = (float(rows[stage][i]) for i in (1, 3, 4))
        assert dbt_seconds > 0 and floor_seconds > 0 and ratio > 0
    assert "pandas / dbt wall: **" in completed.stdout
    assert "| model ml_propensity_oof_predictions |" in completed.stdout


def test_end_to_end_inputs_are_deterministic(tmp_path: Path) -> None:
    """The generated inputs are the same bytes of data on every run: 20 lines per
    customer, credit accounts for about 70% and two campaigns of about 10% each."""
    sys.path.insert(0, str(PROJECT_DIR / "scripts"))
    try:
        from benchmark_end_to_end import generate
    finally:
        sys.path.remove(str(PROJECT_DIR / "scripts"))
    tables = ["customers", "transactions", "credit_accounts", "campaign_responses"]
    counts = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        generate(tmp_path / run, 1000)
    with duckdb.connect() as connection:
        for table in tables:
            first, second = (f"read_parquet('{tmp_path / run / table}.parquet')" for run in "ab")
            assert connection.execute(
                f"select count(*) from (select * from {first} except all select * from {second})"
            ).fetchone() == (0,)
            count, other = connection.execute(
                f"select (select count(*) from {first}), (select count(*) from {second})"
            ).fetchone()
            assert count == other
            counts.append(count)
        campaigns = connection.execute(
            f"select campaign_id, count(*) from read_parquet('{tmp_path / 'a'}/"
            "campaign_responses.parquet') group by 1 order by 1"
        ).fetchall()
    assert counts[:2] == [1000, 20_000]
    assert 600 < counts[2] < 800
    assert [name for name, _ in campaigns] == ["K0", "K1"]
    assert all(60 < contacted < 140 for _, contacted in campaigns)
