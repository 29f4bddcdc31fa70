"""Parquet export of the public marts: on demand (run-operation) and as the on-run-end hook."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtResult, run_dbt

pytestmark = pytest.mark.dbt


def copy_of(demo_build: DbtResult, work_dir: Path) -> Path:
    """A scratch copy of the demo build, so dbt can write to it without touching the shared one."""
    work_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_build.database, work_dir / "segmentation.duckdb")
    return work_dir


def public_marts(demo_build: DbtResult) -> dict[str, int]:
    """Row count of every table built from models/marts, as dbt's manifest lists them."""
    import json

    manifest = json.loads((demo_build.database.parent / "target" / "manifest.json").read_text())
    names = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["fqn"][1] == "marts"
        and node["config"]["materialized"] in ("table", "incremental")
    )
    return {name: demo_build.query(f"select count(*) as n from {name}").n.item() for name in names}


def test_run_operation_writes_one_parquet_file_per_mart(
    demo_build: DbtResult, tmp_path: Path
) -> None:
    export_dir = tmp_path / "parquet"
    export_dir.mkdir()
    result = run_dbt(
        copy_of(demo_build, tmp_path / "work"),
        "run-operation",
        "export_marts",
        "--args",
        f"{{directory: '{export_dir}'}}",
    )
    expected = public_marts(demo_build)
    assert {"customer_segments", "segment_profiles", "data_quality"} <= set(expected)
    assert sorted(p.stem for p in export_dir.glob("*.parquet")) == sorted(expected)
    assert f"wrote {len(expected)} Parquet files" in result.output
    for name, rows in expected.items():
        exported = duckdb.sql(f"select * from '{export_dir / name}.parquet'")
        assert len(exported) == rows, name
        assert (
            exported.columns == demo_build.query(f"select * from {name} limit 0").columns.tolist()
        )


def test_var_exports_at_the_end_of_a_run_and_is_off_by_default(
    demo_build: DbtResult, tmp_path: Path
) -> None:
    work_dir = copy_of(demo_build, tmp_path / "work")
    off = run_dbt(work_dir, "run", "--select", "data_quality")
    assert "export_marts: wrote" not in off.output
    export_dir = tmp_path / "exported"
    export_dir.mkdir()
    run_dbt(
        work_dir,
        "run",
        "--select",
        "data_quality",
        variables={"export_parquet_dir": str(export_dir)},
    )
    assert (export_dir / "data_quality.parquet").exists()
    assert (export_dir / "segment_profiles.parquet").exists()
