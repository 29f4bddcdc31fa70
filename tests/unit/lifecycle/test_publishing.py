"""customer_segmentation.lifecycle.publishing on real DuckDB files, without dbt."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from customer_segmentation.lifecycle.publishing import (
    MARKER_TABLE,
    check_replaceable,
    publication_record,
    publish,
    workspace_path,
)


def inventory(run_id: str = "run-2") -> pd.DataFrame:
    return pd.DataFrame(
        {"run_id": [run_id, run_id], "mart_name": ["segments", "run_manifest"], "row_count": [2, 1]}
    )


def workspace(path: Path, run_id: str = "run-2") -> duckdb.DuckDBPyConnection:
    """A workspace whose marts sit in schema marts, the way dbt leaves them: segments
    with the comments persist_docs writes, and a staging table in main."""
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("create table marts.segments as select * from range(2) as t(customer_id)")
    connection.execute("comment on table marts.segments is 'One row per customer''s segment.'")
    connection.execute("comment on column marts.segments.customer_id is 'The customer.'")
    connection.execute("create table main.stg_segments as select 1 as staged")
    connection.execute(
        "create table marts.run_manifest as select 'run-1' as run_id, 'published' as status "
        f"union all select '{run_id}', 'built'"
    )
    return connection


def test_the_record_lists_every_mart_and_the_inventory_in_name_order() -> None:
    record = publication_record(inventory())
    assert record.mart_name.tolist() == ["mart_inventory", "run_manifest", "segments"]
    assert record.set_index("mart_name").row_count.to_dict()["mart_inventory"] == 2
    with pytest.raises(ValueError, match="one run"):
        publication_record(pd.concat([inventory("a"), inventory("b")]))


def test_the_workspace_sits_beside_the_published_file() -> None:
    assert workspace_path(Path("/x/customer_segmentation.duckdb")) == Path(
        "/x/customer_segmentation.workspace.duckdb"
    )
    assert workspace_path(Path("marts.db")) == Path("marts.db.workspace.duckdb")


def test_publish_replaces_the_file_and_marks_the_run(tmp_path: Path) -> None:
    connection = workspace(tmp_path / "w.duckdb")
    published = tmp_path / "p.duckdb"
    record = publication_record(inventory())
    tables = [name for name in record.mart_name if name != "mart_inventory"]
    publish(connection, "marts", tables, record, published, "v1.0.0")
    with duckdb.connect(str(published), read_only=True) as reader:
        names = set(reader.sql("select schema_name, table_name from duckdb_tables()").fetchall())
        assert names == {("marts", name) for name in ("segments", "run_manifest", MARKER_TABLE)}
        statuses = dict(reader.sql("select run_id, status from marts.run_manifest").fetchall())
        assert statuses == {"run-1": "published", "run-2": "published"}
        assert reader.sql("select count(*) from marts.segments").fetchall() == [(2,)]
    assert not list(tmp_path.glob("*.publishing*"))
    # a second publish replaces the first one's file
    connection.execute("insert into marts.segments values (7)")
    publish(connection, "marts", tables, record, published, "v1.0.0")
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.segments").fetchall() == [(3,)]


def test_publish_copies_the_table_and_column_comments(tmp_path: Path) -> None:
    connection = workspace(tmp_path / "w.duckdb")
    published = tmp_path / "p.duckdb"
    record = publication_record(inventory())
    publish(connection, "marts", ["segments", "run_manifest"], record, published, "v1.0.0")
    with duckdb.connect(str(published), read_only=True) as reader:
        tables = dict(reader.sql("select table_name, comment from duckdb_tables()").fetchall())
        columns = reader.sql(
            "select table_name, column_name, comment from duckdb_columns() "
            "where comment is not null"
        ).fetchall()
    assert tables["segments"] == "One row per customer's segment."
    assert tables["run_manifest"] is None
    assert tables[MARKER_TABLE].startswith("One row per table of this database")
    assert ("segments", "customer_id", "The customer.") in columns
    assert {column for table, column, _ in columns if table == MARKER_TABLE} == {
        "run_id",
        "mart_name",
        "row_count",
    }


def test_a_file_an_earlier_publish_wrote_to_main_is_replaced(tmp_path: Path) -> None:
    published = tmp_path / "p.duckdb"
    with duckdb.connect(str(published)) as old:
        old.execute(f"create table main.{MARKER_TABLE} as select 1 as row_count")
    connection = workspace(tmp_path / "w.duckdb")
    publish(connection, "marts", ["segments"], publication_record(inventory()), published, "v1.0.0")
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.sql("select count(*) from marts.segments").fetchall() == [(2,)]


def test_a_file_no_publish_wrote_is_never_replaced(tmp_path: Path) -> None:
    legacy = tmp_path / "customer_segmentation.duckdb"
    with duckdb.connect(str(legacy)) as connection:
        connection.execute("create table segment_model_registry as select 1 as model_version")
    with pytest.raises(RuntimeError, match=r"move it to .*\.workspace\.duckdb"):
        check_replaceable(legacy)
    connection = workspace(tmp_path / "w.duckdb")
    record = publication_record(inventory())
    with pytest.raises(RuntimeError, match="not written by a publish step"):
        publish(connection, "marts", ["segments"], record, legacy, "v1.0.0")
    with duckdb.connect(str(legacy), read_only=True) as reader:
        assert reader.sql("show tables").fetchall() == [("segment_model_registry",)]


@pytest.mark.parametrize(
    ("tables", "version", "message"),
    [
        (["segments; drop table x"], "v1.0.0", "not a plain table or schema name"),
        (["segments"], "latest'", "published_storage_version must look like v1.0.0"),
    ],
)
def test_names_and_versions_are_checked_before_any_sql(
    tmp_path: Path, tables: list[str], version: str, message: str
) -> None:
    connection = workspace(tmp_path / "w.duckdb")
    with pytest.raises(ValueError, match=message):
        publish(
            connection, "marts", tables, publication_record(inventory()), tmp_path / "p", version
        )
