"""Publish the marts of a successful build: copy them into a new DuckDB file and move it
over the published one in one rename, so readers only ever see the complete marts of one
build, and a reader holding the old file open never blocks the next build."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from customer_segmentation.lifecycle import scoring_function

# Written into every published file; a file without it was not written by a publish.
MARKER_TABLE = "published_marts"
# Its comments (python_models/audit/published_marts.yml says the same): dbt writes the
# record's own table after the publish, too late to copy them from it.
MARKER_COMMENTS = {
    "": "One row per table of this database: the build (run_id) its rows come from and its "
    "row count (the publication record).",
    "run_id": "The build the marts come from (run_manifest.run_id, status published).",
    "mart_name": "A table of this database.",
    "row_count": "Its rows.",
}
_ALIAS = "segmentation_publish"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STORAGE_VERSION = re.compile(r"v\d+\.\d+\.\d+")


def publication_record(inventory: pd.DataFrame) -> pd.DataFrame:
    """What a build publishes: the marts of ``inventory`` (``run_id``, ``mart_name``,
    ``row_count``) and the inventory itself, ordered by name."""
    missing = {"run_id", "mart_name", "row_count"} - set(inventory.columns)
    if missing or inventory.empty or inventory["run_id"].nunique() != 1:
        raise ValueError(
            "mart_inventory must list the marts of one run (run_id, mart_name, row_count)"
        )
    itself = pd.DataFrame(
        {
            "run_id": [inventory["run_id"].iloc[0]],
            "mart_name": ["mart_inventory"],
            "row_count": [len(inventory)],
        }
    )
    record = pd.concat([inventory[list(itself.columns)], itself], ignore_index=True)
    return record.sort_values("mart_name", kind="stable").reset_index(drop=True)


def check_replaceable(published: Path) -> None:
    """Refuse to replace a file that an earlier publish did not write (for example the
    database of a project version that built into it directly, which holds the only
    copy of its model registry and snapshot history)."""
    if not published.exists():
        return
    try:
        with duckdb.connect(str(published), read_only=True) as connection:
            # in any schema: publishes before the marts schema wrote it to main
            marked = connection.execute(
                "select count(*) from information_schema.tables where table_name = ?",
                [MARKER_TABLE],
            ).fetchall()[0][0]
    except duckdb.Error as error:
        raise RuntimeError(
            f"published_marts: cannot read the published database {published} ({error}). "
            "Close any program that has it open for writing (readers must open it "
            "read-only), then build again."
        ) from error
    if not marked:
        workspace = workspace_path(published)
        raise RuntimeError(
            f"published_marts: {published} was not written by a publish step, so it may "
            "hold the only copy of a model registry and snapshot history (projects before "
            "publishing built into that file directly). Keep it as the build's workspace: "
            f"move it to {workspace} (replacing the new workspace), then build again; or "
            "delete it if its history is not needed."
        )


def workspace_path(published: Path) -> Path:
    """The workspace dbt builds in, beside the published file (profiles/profiles.yml
    derives the same name)."""
    name = published.name
    stem = name[: -len(".duckdb")] if name.endswith(".duckdb") else name
    return published.with_name(f"{stem}.workspace.duckdb")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(cursor: Any, schema: str, tables: Sequence[str], target: str) -> list[str]:
    """``comment on`` statements giving the ``tables`` of ``target`` the table and column
    comments they have in the workspace ``schema``."""
    listed = list(tables)
    statements = [
        f'comment on table {target}."{table}" is {_quoted(comment)}'
        for table, comment in cursor.execute(
            "select table_name, comment from duckdb_tables() where database_name = "
            "current_database() and schema_name = ? and list_contains(?, table_name) "
            "and comment is not null order by table_name",
            [schema, listed],
        ).fetchall()
    ]
    columns = cursor.execute(
        "select table_name, column_name, comment from duckdb_columns() where database_name = "
        "current_database() and schema_name = ? and list_contains(?, table_name) "
        "and comment is not null order by table_name, column_index",
        [schema, listed],
    ).fetchall()
    for table, column, comment in columns:
        quoted = column.replace('"', '""')
        statements.append(f'comment on column {target}."{table}"."{quoted}" is {_quoted(comment)}')
    return statements


def publish(
    connection: Any,
    schema: str,
    tables: Sequence[str],
    record: pd.DataFrame,
    published: Path,
    storage_version: str,
) -> None:
    """Mark the run ``published`` in ``run_manifest``, copy ``tables`` of ``schema`` with
    their table and column comments, the publication ``record`` and the scoring function
    (``scoring_function``) into a new file written in ``storage_version``, and move it
    over ``published`` (an atomic rename on the same filesystem).

    Args:
        connection: a DuckDB connection to the workspace. The work runs on a cursor of
            its own: a DuckDB transaction writes to one database only, and dbt's
            transaction is still open.
        schema: the workspace schema the tables are in (``marts``); they land
            in the schema of that name in the new file.
        tables: the tables to publish.
        record: what was published (``published_marts``), written beside them.
        published: path of the published database.
        storage_version: DuckDB storage version of the new file, e.g. ``v1.0.0``
            (readable by every DuckDB 1.x client).
    """
    for name in [schema, *tables]:
        if not _NAME.fullmatch(name):
            raise ValueError(f"published_marts: {name!r} is not a plain table or schema name")
    if not _STORAGE_VERSION.fullmatch(storage_version):
        raise ValueError(
            "var published_storage_version must look like v1.0.0 (a DuckDB storage "
            f"version), got {storage_version!r}"
        )
    check_replaceable(published)
    cursor = connection.cursor()
    # before the copy, so the published run_manifest says which run it holds
    cursor.execute(
        f"update \"{schema}\".run_manifest set status = 'published' where run_id = ?",
        [record["run_id"].iloc[0]],
    )
    staged = published.with_name(published.name + ".publishing")
    for leftover in (staged, staged.with_name(staged.name + ".wal")):
        leftover.unlink(missing_ok=True)
    path = str(staged).replace("'", "''")
    target = f'{_ALIAS}."{schema}"'
    cursor.execute(f"attach '{path}' as {_ALIAS} (storage_version '{storage_version}')")
    try:
        cursor.execute(f"create schema {target}")
        for table in tables:
            cursor.execute(f'create table {target}."{table}" as select * from "{schema}"."{table}"')
        # create table as copies no comment: the descriptions dbt persisted
        for statement in comment_statements(cursor, schema, tables, target):
            cursor.execute(statement)
        # the scoring function, which reads the published registry when it is called
        cursor.execute(scoring_function.definition(f"{target}.", schema))
        cursor.register("_publication_record", record)
        cursor.execute(f"create table {target}.{MARKER_TABLE} as select * from _publication_record")
        cursor.unregister("_publication_record")
        for column, comment in MARKER_COMMENTS.items():
            marker = f"{target}.{MARKER_TABLE}"
            named = f"column {marker}.{column}" if column else f"table {marker}"
            cursor.execute(f"comment on {named} is {_quoted(comment)}")
    finally:
        cursor.execute(f"detach {_ALIAS}")
        cursor.close()
    os.replace(staged, published)
