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
