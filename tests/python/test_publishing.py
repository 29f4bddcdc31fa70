"""Publishing: readers only ever see the complete marts of the last successful build.

Real dbt builds: a failed strict build and a failed propensity step leave the published
database as it was, a reader holding it open never fails a build, a killed build is
recorded as interrupted, and the published file opens in a DuckDB 1.x client.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from dbt_runner import (
    PROJECT_DIR,
    DbtResult,
    copy_build,
    dbt_command,
    files_vars,
    run_dbt,
)
from test_propensity_inputs import write_inputs

pytestmark = pytest.mark.dbt

DUCKDB_1X = PROJECT_DIR / ".venv" / "duckdb1"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def statuses(result: DbtResult) -> dict[str, str]:
    frame = result.query("select run_id, status from run_manifest")
    return dict(zip(frame.run_id, frame.status, strict=True))


def published_run(result: DbtResult) -> str:
    return result.query_published("select distinct run_id from published_marts")["run_id"].item()


class Reader:
    """A separate process holding the published database open read-only, as a BI tool
    does, and reporting the run it sees on its open connection when asked."""

    def __init__(self, database: Path) -> None:
        script = textwrap.dedent(
            f"""
            import duckdb, sys
            connection = duckdb.connect({str(database)!r}, read_only=True)
            query = "select distinct run_id from marts.published_marts"
            for _ in sys.stdin:
                print(connection.sql(query).fetchall()[0][0], flush=True)
            """
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def run_seen(self) -> str:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_the_demo_build_publishes_every_mart(demo_build: DbtResult) -> None:
    inventory = demo_build.query("select mart_name, row_count from mart_inventory")
    published = set(demo_build.query_published("show tables")["name"])
    assert published == {*inventory.mart_name, "mart_inventory", "published_marts"}
    for mart, rows in zip(inventory.mart_name, inventory.row_count, strict=True):
        count = demo_build.query_published(f"select count(*) as n from {mart}")["n"].item()
        assert count == rows, mart
    assert "int_customer_features" not in published
    run_id = published_run(demo_build)
    manifest = demo_build.query_published("select run_id, status from run_manifest")
    assert manifest.set_index("run_id").loc[run_id, "status"] == "published"
    assert f"Published the marts of run {run_id}" in demo_build.output


def test_the_published_database_opens_in_a_duckdb_1x_client(demo_build: DbtResult) -> None:
    assert DUCKDB_1X.is_dir(), f"{DUCKDB_1X} is missing: `make install` puts DuckDB 1.x there"
    script = textwrap.dedent(
        f"""
        import duckdb
        assert duckdb.__version__.startswith("1."), duckdb.__version__
        connection = duckdb.connect({str(demo_build.published)!r}, read_only=True)
        tables = connection.sql("select schema_name, table_name from duckdb_tables()").fetchall()
        assert {{schema for schema, _ in tables}} == {{"marts"}}, tables
        for schema, table in tables:
            connection.sql(f'select * from "{{schema}}"."{{table}}"').fetchall()
        customers = connection.sql("select count(*) from marts.customer_segments").fetchall()
        # the column descriptions dbt persisted, as this client's catalog shows them
        commented = connection.sql(
            "select count(*) from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'customer_segments' and comment is not null"
        ).fetchall()
        print(duckdb.__version__, customers[0][0], commented[0][0])
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(DUCKDB_1X)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    version, customers, commented = completed.stdout.split()
    assert version.startswith("1.") and int(customers) == 5000
    assert int(commented) > 10


def test_a_failed_strict_build_changes_nothing_readers_see_and_a_reader_blocks_no_build(
    demo_build: DbtResult, tmp_path: Path
) -> None:
    work = copy_build(demo_build, tmp_path)
    published = work / demo_build.published.name
    before = digest(published)
    registry = demo_build.query("select count(*) as n from segment_model_registry")["n"].item()
    snapshot = demo_build.query("select count(*) as n from customer_segments_snapshot")["n"].item()
    reader = Reader(published)
    try:
        old_run = reader.run_seen()
        strict = run_dbt(work, "build", variables={"fairness_strict": True}, check=False)
        assert strict.returncode != 0
        assert "Could not set lock" not in strict.output
        assert "Nothing was published" in strict.output
        assert f"still holds the marts of run {old_run}" in strict.output
        assert digest(published) == before
        assert statuses(strict)[last_run(strict)] == "failed"
        assert strict.query("select count(*) as n from segment_model_registry")["n"].item() == (
            registry
        )
        # the next successful run publishes while the reader still holds the old file
        again = run_dbt(work, "run")
        assert "Could not set lock" not in again.output
        assert reader.run_seen() == old_run
        assert published_run(again) not in (old_run, "")
        assert statuses(again)[published_run(again)] == "published"
        kept = again.query("select count(*) as n from customer_segments_snapshot")["n"].item()
        assert kept >= snapshot
    finally:
        reader.close()


def small_vars(tmp_path: Path) -> dict:
    return files_vars(
        tmp_path / "inputs",
        optional_inputs=["campaign_responses"],
        as_of_date="2025-12-01",
        protected_attributes=[],
    )


def small_build(tmp_path: Path, *args: str, responders: int, **variables: object) -> DbtResult:
    """`dbt <args>` on 60 customers and their campaign responses (test_propensity_inputs)."""
    write_inputs(tmp_path / "inputs", responders)
    return run_dbt(
        tmp_path / "run", *args, variables={**small_vars(tmp_path), **variables}, check=False
    )


def test_a_failed_propensity_step_changes_nothing_readers_see(tmp_path: Path) -> None:
    first = small_build(tmp_path, "build", responders=10)
    assert first.returncode == 0, first.output[-3000:]
    before = digest(first.published)
    scores = first.query_published("select count(*) as n from propensity_scores")["n"].item()
    # the latest campaign now has no responder: the response model cannot be refitted
    # (a daily build would keep scoring with the registered one)
    failed = small_build(tmp_path, "build", responders=0, propensity_mode="retrain")
    assert failed.returncode != 0
    assert "ml_propensity_oof_predictions" in failed.output
    assert "Nothing was published" in failed.output
    assert digest(failed.published) == before
    assert failed.query_published("select count(*) as n from propensity_scores")["n"].item() == (
        scores
    )
    # the failed run stopped before run_manifest: the end hook wrote its row
    assert statuses(failed)[last_run(failed)] == "failed"
    assert statuses(failed)[published_run(failed)] == "published"


def test_a_killed_build_publishes_nothing_and_is_recorded_as_interrupted(tmp_path: Path) -> None:
    first = small_build(tmp_path, "build", responders=10)
    assert first.returncode == 0, first.output[-3000:]
    before = digest(first.published)
    command, env = dbt_command(tmp_path / "run", "build", variables=small_vars(tmp_path))
    build = subprocess.Popen(
        command,
        cwd=tmp_path / "run",
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in build.stdout:
        if "OK created sql incremental model marts.run_manifest" in line:
            build.send_signal(signal.SIGKILL)
            break
    build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert digest(first.published) == before
    killed = last_run(first)
    assert statuses(first)[killed] == "built"
    after = small_build(tmp_path, "run", "--select", "run_manifest", responders=10)
    assert statuses(after)[killed] == "interrupted"
    assert statuses(after)[last_run(after)] == "not_published"
    assert "Nothing was published: published_marts was not part of this run" in after.output


def last_run(result: DbtResult) -> str:
    """The run the workspace's run_manifest recorded last."""
    return result.query(
        "select run_id from run_manifest order by run_started_at desc, run_id limit 1"
    )["run_id"].item()
