"""Segment migration and feature drift on real data: Online Retail split in time.

Two dbt builds of the README's Online Retail example (examples/online_retail.yml) on
one fresh DuckDB file:

  1. fit    the customers and transactions before --split-date (default 2011-09-01:
            the first nine months, December 2010 to August 2011), RFM measured as of
            that date; the first build fits and registers the segmentation model;
  2. score  every customer and transaction of the file (RFM as of the day after the
            last one, 2011-12-10) in score mode (the default): no refit, the model of
            run 1 scores everyone, customer_segments_snapshot records the changes.

The features are cumulative (every purchase up to the reference date), as in a daily
routine: a customer of run 1 is still a customer in run 2, so nobody churns here;
customers first seen after the split come from 'new'. It prints the two model versions
(equal: run 2 did not refit), the migration matrix (segment_migration, rows from, columns
to) and the drift of every model feature (feature_drift) as Markdown.

Usage: python scripts/online_retail_time_split.py [--data PATH] [--work-dir DIR]
       [--split-date YYYY-MM-DD]
The data defaults to ../shared/data/online_retail/online_retail.csv.gz beside the
project; without it the script says so and exits 0 (nothing to measure).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "data" / "online_retail" / "online_retail.csv.gz"
# cautious: only the tests whose every parent is built (not the ones joining other marts)
SELECT = [
    "--indirect-selection",
    "cautious",
    "--select",
    "+segment_migration",
    "+feature_drift",
    "+segment_identity_matches",
    "+segment_model_registry_feature_bins",
]
DATABASE = "online_retail_time_split.duckdb"
# dbt builds in the workspace beside it; the selection below publishes nothing
WORKSPACE = "online_retail_time_split.workspace.duckdb"


def split_vars(data: Path, split_date: str | None) -> dict:
    """examples/online_retail.yml, reading ``data``; before ``split_date`` only when given."""
    variables = yaml.safe_load((PROJECT_DIR / "examples" / "online_retail.yml").read_text())
    lines = f"read_csv('{data}', header = true, all_varchar = true)"
    if split_date is not None:
        lines = f"(select * from {lines} where cast(InvoiceDate as timestamp) < '{split_date}')"
    variables["input_files"] = {
        "customers": f"(select distinct CustomerID from {lines} where CustomerID is not null)",
        "transactions": lines,
    }
    if split_date is not None:
        variables["as_of_date"] = split_date
    return variables


def run_dbt(work_dir: Path, variables: dict) -> None:
    """`dbt build` of the lifecycle marts into work_dir's DuckDB file; exits on failure."""
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        *SELECT,
        "--vars",
        json.dumps(variables),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "SEGMENTATION_DUCKDB_PATH": str(work_dir / DATABASE),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    completed = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"dbt build failed:\n{(completed.stdout + completed.stderr)[-6000:]}")


def query(work_dir: Path, sql: str):
    import duckdb

    with duckdb.connect(str(work_dir / WORKSPACE), read_only=True) as connection:
        # the marts first (schema marts), then the intermediate models (main)
        connection.execute("set search_path = 'marts,main'")
        return connection.sql(sql).df()


def report(work_dir: Path, versions: list[str], customers: list[int]) -> str:
    """The migration matrix and drift table as Markdown."""
    migration = query(work_dir, "select * from segment_migration")
    names = query(work_dir, "select segment_id, segment_name from int_segment_names")
    matrix = migration.pivot_table(
        index="from_segment", columns="to_segment", values="customers", aggfunc="sum"
    ).fillna(0)
    order = sorted((c for c in matrix.columns if c.isdigit()), key=int)
    rows = ["new", *order] if "new" in matrix.index else order
    columns = [*order, "churned"] if "churned" in matrix.columns else order
    matrix = matrix.reindex(index=rows, columns=columns, fill_value=0).astype(int)
    label = dict(zip(names["segment_id"].astype(str), names["segment_name"], strict=True))
    lines = [
        f"Model version of run 1 (fit): `{versions[0]}`; of run 2 (score): `{versions[1]}`.",
        f"Customers scored: run 1 {customers[0]:,}, run 2 {customers[1]:,}.",
        "",
        "Migration (rows: segment in run 1, columns: segment in run 2; customers):",
        "",
        "| from \\ to | " + " | ".join(f"{c} {label.get(c, '')}".strip() for c in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for row in rows:
        title = f"{row} {label.get(row, '')}".strip()
        lines.append(f"| {title} | " + " | ".join(f"{v:,}" for v in matrix.loc[row]) + " |")
    drift = query(work_dir, "select * from feature_drift order by feature_position")
    lines += [
        "",
        "Feature drift (run 2's customers against run 1's training data):",
        "",
        "| feature | PSI | level | training mean | scored mean | shift (std devs) "
        "| training p10 / p50 / p90 | scored p10 / p50 / p90 |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in drift.itertuples():
        lines.append(
            f"| {row.feature_name} | {row.psi:.3f} | {row.drift_level} | "
            f"{row.training_mean:,.1f} | {row.scored_mean:,.1f} | {row.mean_shift_std_devs:+.2f} | "
            f"{row.training_p10:,.0f} / {row.training_p50:,.0f} / {row.training_p90:,.0f} | "
            f"{row.scored_p10:,.0f} / {row.scored_p50:,.0f} / {row.scored_p90:,.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--work-dir", type=Path, default=PROJECT_DIR / "build" / "online_retail_time_split"
    )
    parser.add_argument("--split-date", default="2011-09-01")
    args = parser.parse_args()
    if not args.data.exists():
        print(
            f"Skipped: {args.data} not found. The public datasets live in ../shared/data "
            "beside the project (see README 'Public datasets')."
        )
        return
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    # a fresh model registry and snapshot (they live in the workspace)
    for name in (DATABASE, WORKSPACE):
        (work_dir / name).unlink(missing_ok=True)
    data = args.data.resolve()
    versions, customers = [], []
    for split_date in (args.split_date, None):
        run_dbt(work_dir, split_vars(data, split_date))
        versions.append(
            query(work_dir, "select model_version from int_segment_model_version")[
                "model_version"
            ].item()
        )
        customers.append(
            int(query(work_dir, "select count(*) as n from customer_segments")["n"].item())
        )
    print(report(work_dir, versions, customers))


if __name__ == "__main__":
    main()
