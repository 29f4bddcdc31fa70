"""`python -m segmentation_report`: write the HTML report from a DuckDB file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from segmentation_report.assemble import render_report
from segmentation_report.marts import MARTS_SCHEMA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SEGMENTATION_DUCKDB_PATH", "customer_segmentation.duckdb")),
        help="DuckDB file the marts were built into (default: $SEGMENTATION_DUCKDB_PATH "
        "or customer_segmentation.duckdb)",
    )
    parser.add_argument(
        "--schema", default=MARTS_SCHEMA, help=f"schema of the marts (default: {MARTS_SCHEMA})"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("build/segmentation_report.html"),
        help="HTML file to write (default: build/segmentation_report.html)",
    )
    args = parser.parse_args(argv)
    try:
        path = render_report(args.database, args.output, args.schema)
    except (FileNotFoundError, ValueError) as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    print(f"report written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
