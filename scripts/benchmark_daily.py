"""The daily build against the first build and the pandas pipeline (issue 21).

A daily `dbt build` scores every customer with the registered models and fits nothing.
Each round, alternating in one run:

  first   `dbt build` on a fresh database (fits and registers both models);
  daily   `dbt build` again on that database, after 1% of the customers got one new
          order dated the day after the last one (none on the demo);
  pandas  scripts/reference_pandas_pipeline.py on the daily inputs (it always refits).

Inputs as benchmark_end_to_end.py generates them; wall time and peak RSS of the process
tree; medians over the rounds.

Usage: python scripts/benchmark_daily.py --demo 3
       python scripts/benchmark_daily.py --customers 1000000 --repeats 3 [--work-dir DIR]
Results are printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import benchmark_end_to_end as end_to_end  # scripts/ is on sys.path when run as a script

NEW_LINES = """
copy (
    select * from read_parquet('{directory}/transactions_first.parquet')
    union all
    select
        'N' || cast(i as varchar) as order_id,
        'C' || lpad(cast(i * 100 as varchar), 8, '0') as customer_id,
        timestamp '2026-01-01 12:00:00' as transacted_at,
        2 as quantity,
        12.5 as unit_price,
        25.0 as amount,
        false as is_refund
    from range({customers} // 100) as t(i)
) to '{directory}/transactions_daily.parquet' (format parquet);
"""


def prepare(directory: Path, customers: int) -> None:
    """The inputs, and the transactions of the first build and of the daily one."""
    import duckdb

    end_to_end.generate(directory, customers)
    shutil.move(directory / "transactions.parquet", directory / "transactions_first.parquet")
    with duckdb.connect() as connection:
        connection.execute(NEW_LINES.format(directory=directory, customers=customers))


def use(directory: Path, day: str) -> None:
    shutil.copy(directory / f"transactions_{day}.parquet", directory / "transactions.parquet")


def summary(name: str, runs: list[dict]) -> str:
    walls = ", ".join(f"{run['wall']:.1f}" for run in runs)
    rss = max(run["rss"] for run in runs)
    return (
        f"| {name} | {statistics.median(r['wall'] for r in runs):.1f} | {walls} | {rss:.0f} "
        f"| {end_to_end.loads(runs)} |"
    )


def report(title: str, rounds: dict[str, list[dict]]) -> None:
    print(f"\n### {title}\n")
    print("| build | wall s (median) | wall s (runs) | peak RSS MiB | load 1-min |")
    print("|---|---|---|---|---|")
    for name, runs in rounds.items():
        if runs:
            print(summary(name, runs))
    daily = statistics.median(r["wall"] for r in rounds["daily"])
    first = statistics.median(r["wall"] for r in rounds["first"])
    print(f"\nfirst / daily: **{first / daily:.2f}x**", end="")
    if rounds.get("pandas"):
        pandas = statistics.median(r["wall"] for r in rounds["pandas"])
        print(f"; pandas / daily: **{pandas / daily:.2f}x**", end="")
    print()
    end_to_end.slowest(rounds["daily"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=int, metavar="ROUNDS", help="the bundled demo seeds")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", help="keep inputs, databases and outputs here")
    parser.add_argument("--dbt-threads", type=int, help="dbt threads (default: the profile's)")
    arguments = parser.parse_args()
    root = Path(arguments.work_dir or tempfile.mkdtemp(prefix="bench_daily_"))
    rounds: dict[str, list[dict]] = {"first": [], "daily": [], "pandas": []}
    if arguments.demo:
        build = end_to_end.Build(root, None, arguments.dbt_threads)
        for _ in range(arguments.demo):
            rounds["first"].append(build.run())
            rounds["daily"].append(build.run(fresh=False))
            print(json.dumps({k: v[-1]["wall"] for k, v in rounds.items() if v}), file=sys.stderr)
        report("Demo: first build and daily build", rounds)
        return
    customers = arguments.customers
    directory, work = root / f"input_{customers}", root / f"work_{customers}"
    directory.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    prepare(directory, customers)
    variables = {
        "input_source": "files",
        "input_file_template": f"{directory}/{{name}}.parquet",
        "optional_inputs": end_to_end.INPUTS,
        # the pandas pipeline clusters every customer, those without a card included
        "segment_missing_family": "impute",
    }
    build = end_to_end.Build(work, variables, arguments.dbt_threads)
    for _ in range(arguments.repeats):
        use(directory, "first")
        rounds["first"].append(build.run())
        use(directory, "daily")
        rounds["daily"].append(build.run(fresh=False))
        rounds["pandas"].append(end_to_end.run_pandas(directory, work))
        print(json.dumps({k: v[-1]["wall"] for k, v in rounds.items() if v}), file=sys.stderr)
    lines = customers * end_to_end.benchmark_features.LINES_PER_CUSTOMER
    report(f"{customers:,} customers, {lines:,} lines; daily: 1% with a new order", rounds)


if __name__ == "__main__":
    main()
