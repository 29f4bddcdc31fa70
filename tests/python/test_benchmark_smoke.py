"""The benchmark script at a tiny scale, so it cannot rot between benchmark runs."""

from __future__ import annotations

import subprocess
import sys

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
    assert len(stages) == 5
    for stage in stages:
        model_seconds, floor_seconds, ratio = (float(rows[stage][i]) for i in (2, 4, 5))
        assert model_seconds > 0 and floor_seconds >= 0 and ratio > 0
    assert float(rows["**layer wall**"][2]) > 0
    assert "3,000 customers x 4 features, chosen k = " in completed.stdout
    assert "import of scikit-learn in a fresh process" in completed.stdout
