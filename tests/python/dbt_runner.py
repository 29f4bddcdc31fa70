"""Runs the real dbt project into scratch DuckDB files, for the end-to-end tests: dbt
builds in the workspace file, and a successful build publishes the marts to the
published file beside it (README "Failed builds and publishing")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DATA_DIR = PROJECT_DIR.parent / "shared" / "data"


PUBLISHED_NAME = "segmentation.duckdb"
WORKSPACE_NAME = "segmentation.workspace.duckdb"


@dataclass(frozen=True)
class DbtResult:
    """What one dbt invocation left behind: ``database`` is the workspace dbt built in
    (every model, the registry and snapshot state), ``published`` the file readers open."""

    returncode: int
    output: str
    database: Path

    @property
    def published(self) -> Path:
        return self.database.with_name(PUBLISHED_NAME)

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` on the workspace."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.sql(sql).df()

    def query_published(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` on the published database."""
        with duckdb.connect(str(self.published), read_only=True) as connection:
            return connection.sql(sql).df()


def copy_build(result: DbtResult, work_dir: Path) -> Path:
    """Copy a build's workspace and published files into ``work_dir``, so dbt can go on
    from that state without touching the original; returns ``work_dir``."""
    work_dir.mkdir(parents=True, exist_ok=True)
    for source in (result.database, result.published):
        for suffix in ("", ".wal"):
            path = Path(f"{source}{suffix}")
            if path.exists():
                shutil.copy(path, work_dir / f"{source.name}{suffix}")
    return work_dir


def dbt_command(
    work_dir: Path, *args: str, variables: dict | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of `dbt <args>` on the project with its own
    DuckDB files, target and log dirs in ``work_dir``."""
    work_dir.mkdir(parents=True, exist_ok=True)
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
        "SEGMENTATION_DUCKDB_PATH": str(work_dir / PUBLISHED_NAME),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # a build of a selection runs only the tests whose every parent it builds, so a
        # test joining a mart outside the selection does not read a missing table
        "DBT_INDIRECT_SELECTION": "cautious",
    }
    return command, env


def run_dbt(
    work_dir: Path, *args: str, variables: dict | None = None, check: bool = True
) -> DbtResult:
    """Run `dbt <args>` on the project with its own DuckDB files, target and log dirs."""
    command, env = dbt_command(work_dir, *args, variables=variables)
    completed = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    result = DbtResult(
        completed.returncode, completed.stdout + completed.stderr, work_dir / WORKSPACE_NAME
    )
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
