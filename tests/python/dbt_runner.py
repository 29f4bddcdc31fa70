"""Runs the real dbt project into scratch DuckDB files, for the end-to-end tests: dbt
builds in the workspace file, and a successful build publishes the marts to the
published file beside it (README "Failed builds and publishing")."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DATA_DIR = PROJECT_DIR.parent / "shared" / "data"


PUBLISHED_NAME = "segmentation.duckdb"
# the marts' schema in the workspace and the published file
MARTS_SCHEMA = "marts"
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
        """Run ``sql`` on the workspace; an unqualified name is a mart's, else a model's
        of the target schema (main)."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            schemas = connection.sql("select schema_name from duckdb_schemas()").fetchall()
            if (MARTS_SCHEMA,) in schemas:  # a build of a selection may have no mart
                connection.execute(f"set search_path = '{MARTS_SCHEMA},main'")
            return connection.sql(sql).df()

    def query_published(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` on the published database, in the marts' schema."""
        with duckdb.connect(str(self.published), read_only=True) as connection:
            connection.execute(f"set search_path = '{MARTS_SCHEMA}'")
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
    work_dir: Path, *args: str, variables: dict | None = None, cwd: Path | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of `dbt <args>` on the project with its own
    DuckDB files, target and log dirs in ``work_dir``, to run from ``cwd`` (default
    ``work_dir``)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    if variables:
        command += ["--vars", json.dumps(variables, sort_keys=True)]
    published = os.path.relpath(work_dir / PUBLISHED_NAME, cwd or work_dir)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        # relative to the run's directory, so that every run's profile is the same and
        # dbt can reuse a parse of the same vars (_reuse_parse)
        "SEGMENTATION_DUCKDB_PATH": published,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # a build of a selection runs only the tests whose every parent it builds, so a
        # test joining a mart outside the selection does not read a missing table
        "DBT_INDIRECT_SELECTION": "cautious",
    }
    return command, env


# dbt re-parses the whole project unless the target dir holds a parse of the
# same project, profile and vars; runs with equal vars share one through this folder
# (dbt itself checks that a saved parse still fits, so a stale one only costs a parse)
# (one folder for every pytest-xdist worker of a run)
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID")
if _RUN:
    _PARSES = Path(tempfile.gettempdir()) / f"dbt-parses-{_RUN}"
    _PARSES.mkdir(exist_ok=True)
else:
    _PARSES = Path(tempfile.mkdtemp(prefix="dbt-parses-"))


def _parse_key(args: tuple[str, ...], variables: dict | None) -> str:
    target = args[args.index("--target") + 1] if "--target" in args else ""
    text = json.dumps([target, variables or {}], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _reuse_parse(work_dir: Path, key: str) -> None:
    saved = _PARSES / f"{key}.msgpack"
    if saved.exists():
        (work_dir / "target").mkdir(parents=True, exist_ok=True)
        shutil.copy(saved, work_dir / "target" / "partial_parse.msgpack")


def _keep_parse(work_dir: Path, key: str) -> None:
    parsed = work_dir / "target" / "partial_parse.msgpack"
    if parsed.exists():
        staged = _PARSES / f"{key}.{os.getpid()}.tmp"
        shutil.copy(parsed, staged)
        os.replace(staged, _PARSES / f"{key}.msgpack")


def run_dbt(
    work_dir: Path,
    *args: str,
    variables: dict | None = None,
    check: bool = True,
    cwd: Path | None = None,
) -> DbtResult:
    """Run `dbt <args>` on the project with its own DuckDB files, target and log dirs,
    from ``work_dir`` (or ``cwd``: the examples' relative paths are the project's)."""
    command, env = dbt_command(work_dir, *args, variables=variables, cwd=cwd)
    key = _parse_key(args, variables)
    _reuse_parse(work_dir, key)
    completed = subprocess.run(
        command, cwd=cwd or work_dir, env=env, capture_output=True, text=True, check=False
    )
    _keep_parse(work_dir, key)
    result = DbtResult(
        completed.returncode, completed.stdout + completed.stderr, work_dir / WORKSPACE_NAME
    )
    if check and completed.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.output[-6000:]}")
    return result


def files_vars(inputs: Path, **variables: object) -> dict:
    """Files-mode vars for the CSVs in ``inputs``, read by runs in any folder beside it
    (the path is relative, so runs with otherwise equal vars share dbt's parse)."""
    template = f"../{inputs.name}/{{name}}.csv"
    return {"input_source": "files", "input_file_template": template, **variables}


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
