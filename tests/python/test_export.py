"""Parquet export of the published marts: on demand (run-operation) and as the
on-run-end hook of a run that published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtResult, copy_build, run_dbt

pytestmark = pytest.mark.dbt


def published_run(result: DbtResult) -> str:
    frame = result.query_published("select distinct run_id from published_marts")
    return frame["run_id"].item()


def published_tables(demo_build: DbtResult) -> dict[str, int]:
    """Row count of every table of the published database."""
    names = demo_build.query_published("show tables")["name"].tolist()
    return {
        name: demo_build.query_published(f"select count(*) as n from {name}").n.item()
        for name in names
    }


def test_run_operation_writes_one_parquet_file_per_published_table(
    demo_build: DbtResult, tmp_path: Path
) -> None:
    export_dir = tmp_path / "parquet"
    export_dir.mkdir()
    result = run_dbt(
        copy_build(demo_build, tmp_path / "work"),
        "run-operation",
        "export_marts",
        "--args",
        f"{{directory: '{export_dir}'}}",
    )
    expected = published_tables(demo_build)
    assert {"customer_segments", "segment_profiles", "data_quality", "published_marts"} <= set(
        expected
    )
    assert sorted(p.stem for p in export_dir.glob("*.parquet")) == sorted(expected)
    assert f"wrote {len(expected)} Parquet files" in result.output
    for name, rows in expected.items():
        exported = duckdb.sql(f"select * from '{export_dir / name}.parquet'")
        assert len(exported) == rows, name
        assert (
            exported.columns
            == demo_build.query_published(f"select * from {name} limit 0").columns.tolist()
        )


def test_var_exports_only_after_a_run_that_published(demo_build: DbtResult, tmp_path: Path) -> None:
    work_dir = copy_build(demo_build, tmp_path / "work")
    export_dir = tmp_path / "exported"
    export_dir.mkdir()
    variables = {"export_parquet_dir": str(export_dir)}
    partial = run_dbt(work_dir, "run", "--select", "data_quality", variables=variables)
    assert "this run published nothing, so nothing was exported" in partial.output
    assert not list(export_dir.iterdir())
    published = run_dbt(work_dir, "run", variables=variables)
    assert (export_dir / "data_quality.parquet").exists()
    sql = "select distinct run_id from {}"
    exported = duckdb.sql(sql.format(f"'{export_dir}/published_marts.parquet'")).fetchall()
    assert exported == [(published_run(published),)]
    assert exported != [(published_run(demo_build),)]
