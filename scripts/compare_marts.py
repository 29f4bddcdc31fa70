"""Compare every table of two published DuckDB files: the same marts, or where they differ.

Rows are put in a stable order first (every column, floats rounded so noise cannot
reorder them), then float columns must agree within a tolerance (1e-9, relative and
absolute, as tests/python/test_determinism.py asks of two builds) and every other
column exactly. Columns that belong to the run, not to the data, are left out: every
``run_id`` and every timestamp column (when the build ran, fitted, activated, scored).

Prints one line per table and exits 1 when any table differs (or is in one file only):

    python scripts/compare_marts.py before/segmentation.duckdb after/segmentation.duckdb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# DuckDB's parallel float sums may differ in the last bits between two builds
TOLERANCE = 1e-9
RUN_COLUMNS = ("run_id",)


def read_tables(path: Path, schema: str) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """Each table of ``schema``: its rows without the run's columns, and those columns."""
    tables = {}
    with duckdb.connect(str(path), read_only=True) as connection:
        columns = connection.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = ? order by table_name, ordinal_position",
            [schema],
        ).fetchall()
        by_table: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in columns:
            by_table.setdefault(table, []).append((column, kind))
        for table, described in by_table.items():
            run = [c for c, kind in described if c in RUN_COLUMNS or kind.startswith("TIMESTAMP")]
            kept = [c for c, _ in described if c not in run]
            selected = ", ".join('"' + c.replace('"', '""') + '"' for c in kept) or "1 as no_column"
            rows = connection.sql(f'select {selected} from "{schema}"."{table}"').df()
            tables[table] = (rows, run)
    return tables


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order: by every column, floats rounded so noise cannot reorder."""
    key = frame.copy()
    for column in key.columns:
        if pd.api.types.is_float_dtype(key[column]):
            key[column] = key[column].round(6)
    order = key.astype(str).sort_values(list(key.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def difference(first: pd.DataFrame, second: pd.DataFrame, tolerance: float) -> str | None:
    """What differs between two tables (None: nothing beyond the float tolerance)."""
    if list(first.columns) != list(second.columns):
        return f"columns {list(first.columns)} != {list(second.columns)}"
    if len(first) != len(second):
        return f"{len(first)} rows != {len(second)} rows"
    first, second = sorted_rows(first), sorted_rows(second)
    for column in first.columns:
        a, b = first[column], second[column]
        if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
            x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
            close = np.isclose(x, y, rtol=tolerance, atol=tolerance, equal_nan=True)
            if not close.all():
                worst = np.nanmax(np.abs(x - y)[~close])
                return f"{column}: {(~close).sum()} values differ (largest by {worst:.3g})"
        else:
            try:
                pd.testing.assert_series_equal(a, b, check_names=False)
            except AssertionError:
                unequal = int((a.astype(str) != b.astype(str)).sum())
                return f"{column}: {unequal} values differ"
    return None


def compare(first: Path, second: Path, schema: str, tolerance: float) -> list[str]:
    """One line per table of either file: ``same`` or ``DIFFERENT`` with the reason."""
    left, right = read_tables(first, schema), read_tables(second, schema)
    lines = []
    for table in sorted(set(left) | set(right)):
        if table not in left or table not in right:
            where = first if table not in right else second
            lines.append(f"DIFFERENT {table}: only in {where}")
            continue
        (a, run), (b, _) = left[table], right[table]
        problem = difference(a, b, tolerance)
        excluded = f" (not compared: {', '.join(run)})" if run else ""
        if problem:
            lines.append(f"DIFFERENT {table}: {problem}")
        else:
            lines.append(f"same      {table}: {len(a)} rows, {len(a.columns)} columns{excluded}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="a published DuckDB file")
    parser.add_argument("second", type=Path, help="the DuckDB file to compare it with")
    parser.add_argument("--schema", default="marts", help="schema of the marts (default: marts)")
    parser.add_argument(
        "--tolerance",
        type=float,
        default=TOLERANCE,
        help=f"relative and absolute tolerance of float columns (default: {TOLERANCE})",
    )
    args = parser.parse_args(argv)
    for path in (args.first, args.second):
        if not path.exists():
            parser.error(f"{path} does not exist")
    lines = compare(args.first, args.second, args.schema, args.tolerance)
    print("\n".join(lines))
    differing = sum(line.startswith("DIFFERENT") for line in lines)
    print(f"{len(lines) - differing} of {len(lines)} tables the same")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
