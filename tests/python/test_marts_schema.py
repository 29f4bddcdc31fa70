"""The marts' own schema on an upgraded workspace: a workspace built before it held
every mart in main; the next build moves the state-keeping marts (registries,
run_manifest) to schema marts with every row, and drops the other old copies."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from dbt_runner import WORKSPACE_NAME, DbtResult, copy_build, run_dbt

pytestmark = pytest.mark.dbt

STATE = (
    "run_manifest",
    "segment_model_registry",
    "segment_model_registry_centroids",
    "propensity_model_registry",
)


def rows(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    return {tuple(row) for row in frame.astype(str).to_numpy()}


def test_an_upgraded_workspace_keeps_its_state_and_shows_each_mart_once(
    demo_build: DbtResult, tmp_path
) -> None:
    work = copy_build(demo_build, tmp_path)
    with duckdb.connect(str(work / WORKSPACE_NAME)) as connection:
        marts = [
            name
            for (name,) in connection.sql(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        # the layout of builds before the marts schema: every mart in main
        for name in marts:
            connection.execute(f'create table main."{name}" as select * from marts."{name}"')
            connection.execute(f'drop table marts."{name}"')
        before = {name: connection.sql(f"select * from main.{name}").df() for name in STATE}
    result = run_dbt(work, "build")
    assert f"relocate_marts: {len(marts)} mart(s) moved out of schema main" in result.output
    after = result.query(
        "select schema_name, table_name from duckdb_tables() "
        f"where list_contains({list(marts)}, table_name)"
    )
    # each mart once, in marts; the state kept row for row (run_manifest gains this run's)
    assert set(after.schema_name) == {"marts"}
    assert after.table_name.is_unique and set(after.table_name) == set(marts)
    # a lost registry would be registered anew, with this build's times: compare every row
    for name in STATE:
        kept = rows(result.query(f"select * from marts.{name}"))
        assert rows(before[name]) <= kept, name
    runs = result.query("select run_id from marts.run_manifest").run_id
    assert len(runs) == len(before["run_manifest"]) + 1
