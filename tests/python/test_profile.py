"""The profile's DuckDB settings reach the connection dbt builds with (issue 8)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dbt_runner import run_dbt

SHOW_MEMORY_LIMIT = "select current_setting('memory_limit') as memory_limit"


def _memory_limit(work_dir: Path) -> str:
    result = run_dbt(work_dir, "show", "--inline", SHOW_MEMORY_LIMIT, "--output", "json")
    shown = re.search(r'\{\s*"show".*\}', result.output, re.DOTALL)
    assert shown, result.output
    return json.loads(shown.group(0))["show"][0]["memory_limit"]


def test_duckdb_memory_limit_defaults_to_2gb_and_follows_its_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB shows 2GB (2e9 bytes) as 1.8 GiB, 1GB as 953.6 MiB; its own default is 80% of RAM
    monkeypatch.delenv("SEGMENTATION_DUCKDB_MEMORY_LIMIT", raising=False)
    assert _memory_limit(tmp_path / "default") == "1.8 GiB"
    monkeypatch.setenv("SEGMENTATION_DUCKDB_MEMORY_LIMIT", "1GB")
    assert _memory_limit(tmp_path / "custom") == "953.6 MiB"


def test_a_build_out_of_duckdb_memory_says_which_setting_to_raise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's own message suggests SET commands; the project's on-run-end hook names
    the failed model, the cap in force and the environment variable that raises it."""
    monkeypatch.setenv("SEGMENTATION_DUCKDB_MEMORY_LIMIT", "16MB")
    result = run_dbt(tmp_path, "build", "--select", "+int_customer_rfm_values", check=False)
    assert result.returncode != 0
    assert "Out of Memory Error" in result.output
    hint = re.search(
        r"(\w+(?:, \w+)*) ran out of DuckDB memory \(memory_limit ([^)]+)\)", result.output
    )
    assert hint, result.output[-3000:]
    assert "int_customer_rfm_values" in hint.group(1).split(", ")
    assert hint.group(2) == "15.2 MiB"
    assert "SEGMENTATION_DUCKDB_MEMORY_LIMIT=8GB" in result.output

    monkeypatch.setenv("SEGMENTATION_DUCKDB_MEMORY_LIMIT", "2GB")
    fine = run_dbt(tmp_path / "enough", "build", "--select", "+int_customer_rfm_values")
    assert "ran out of DuckDB memory" not in fine.output
