"""Latency of the published scoring function (score_segments) for one customer and for
10,000, on a published database (default: the demo build's customer_segmentation.duckdb).

The customers are the segment centroids in original units, each feature moved by a
fixed-seed relative perturbation of up to 20%; every call scores them all. Median of the
calls, in a fresh read-only connection, as a BI tool would call it.

Usage: python scripts/benchmark_scoring_function.py [--database FILE] [--calls 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[1]


def customers(connection: duckdb.DuckDBPyConnection, count: int) -> pd.DataFrame:
    centroids = connection.sql(
        "select segment_id, feature_name, centroid_value from marts.segment_centroids"
    ).df()
    table = centroids.pivot(index="segment_id", columns="feature_name", values="centroid_value")
    rng = np.random.default_rng(7)
    rows = table.to_numpy()[np.arange(count) % len(table)]
    rows = rows * (1 + rng.uniform(-0.2, 0.2, size=rows.shape))
    frame = pd.DataFrame(rows, columns=table.columns)
    frame.insert(0, "customer_id", [f"N{index:06d}" for index in range(count)])
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=str(PROJECT_DIR / "customer_segmentation.duckdb"))
    parser.add_argument("--calls", type=int, default=7)
    arguments = parser.parse_args()
    with duckdb.connect(arguments.database, read_only=True) as connection:
        print("| customers | median ms | calls ms |")
        print("|---|---|---|")
        for count in (1, 10_000):
            connection.register("given", customers(connection, count))
            connection.execute("create or replace temp table new_customers as select * from given")
            times = []
            for _ in range(arguments.calls):
                start = time.perf_counter()
                scored = connection.sql("select * from marts.score_segments('new_customers')")
                rows = scored.fetchall()
                times.append((time.perf_counter() - start) * 1000)
            assert len(rows) == count
            calls = ", ".join(f"{value:.1f}" for value in times)
            print(f"| {count:,} | {statistics.median(times):.1f} | {calls} |")


if __name__ == "__main__":
    main()
