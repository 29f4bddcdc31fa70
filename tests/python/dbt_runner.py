"""Runs the real dbt project into a scratch DuckDB file, for the end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DATA_DIR = PROJECT_DIR.parent / "shared" / "data"


@dataclass(frozen=True)
class DbtResult:
    """What one dbt invocation left behind."""

    returncode: int
    output: str
    database: Path

    def query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.sql(sql).df()


def run_dbt(
    work_dir: Path, *args: str, variables: dict | None = None, check: bool = True
) -> DbtResult:
    """Run `dbt <args>` on the project with its own DuckDB file, target and log dirs."""
    work_dir.mkdir(parents=True, exist_ok=True)
    database = work_dir / "segmentation.duckdb"
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    if variables:
        command += ["--vars", json.dumps(variables)]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "SEGMENTATION_DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # a build of a selection runs only the tests whose every parent it builds, so a
        # test joining a mart outside the selection does not read a missing table
        "DBT_INDIRECT_SELECTION": "cautious",
    }
    completed = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    result = DbtResult(completed.returncode, completed.stdout + completed.stderr, database)
    if check and completed.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.output[-6000:]}")
    return result


def shared_dataset(relative_path: str) -> Path:
    """Path of a public dataset in ../shared/data, or skip saying why it is absent."""
    path = SHARED_DATA_DIR / relative_path
    if not path.exists():
        pytest.skip(
            f"{path} not found: the public datasets live in ../shared/data beside the "
            "project on CI and developer machines only (see README 'Public datasets')."
        )
    return path


def write_csv(path: Path, text: str) -> Path:
    """Write a small CSV input from an indented literal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [line.strip() for line in text.strip().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    return path
