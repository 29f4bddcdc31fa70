"""Benchmark the feature layer against one hand-written DuckDB query (issue: foundation).

For each scale it writes synthetic Parquet inputs in the input contract (about 20
transaction lines per customer), then alternates, in the same run:

  dbt   `dbt run --select +int_customer_features` in files mode on those Parquet files,
        with one dbt thread; we report dbt's own summed model execution times
        (run_results.json), the wall time, and the fixed start-up (wall minus models);
  query one DuckDB statement computing the same RFM table from the same raw input with
        the same cleaning (exact duplicates, missing customer, bad or zero amount, unknown
        customer, refunds netted), quintile scores included.

Each side runs in its own process; peak memory is that process's maximum RSS.
Usage: python scripts/benchmark_features.py [--scales 100000 1000000] [--repeats 3]
Results are printed as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
LINES_PER_CUSTOMER = 20

GENERATE = """
copy (
    select
        'C' || lpad(cast(i as varchar), 8, '0') as customer_id,
        case when hash(i, 1) % 2 = 0 then 'F' else 'M' end as gender,
        date '1940-01-01' + cast(hash(i, 2) % 25000 as integer) as birth_date,
        'Single' as marital_status,
        20000 + hash(i, 3) % 100000 as annual_income,
        1 + hash(i, 4) % 5 as household_size,
        hash(i, 5) % 5 != 0 as has_marketing_consent
    from range({customers}) as t(i)
) to '{directory}/customers.parquet' (format parquet);

copy (
    select
        'O' || cast(i // 2 as varchar) as order_id,
        'C' || lpad(cast(hash(i // 2, 6) % {customers} as varchar), 8, '0') as customer_id,
        timestamp '2024-01-01' + to_seconds(cast(hash(i // 2, 7) % 63072000 as bigint))
            as transacted_at,
        1 + hash(i, 8) % 4 as quantity,
        round(0.5 + (hash(i, 9) % 10000) / 100.0, 2) as unit_price,
        case
            when hash(i, 10) % 50 = 0 then -round(0.5 + (hash(i, 9) % 10000) / 100.0, 2)
            else round((1 + hash(i, 8) % 4) * (0.5 + (hash(i, 9) % 10000) / 100.0), 2)
        end as amount,
        hash(i, 10) % 50 = 0 as is_refund
    from range({lines}) as t(i)
) to '{directory}/transactions.parquet' (format parquet);
"""

# The same rules as the staging and RFM models, written as one plain query.
REFERENCE_QUERY = """
create table rfm as
with lines as (
    select distinct * from read_parquet('{directory}/transactions.parquet')
),
customers as (
    select distinct customer_id from read_parquet('{directory}/customers.parquet')
),
valid as (
    select
        l.customer_id,
        l.order_id,
        l.transacted_at,
        coalesce(l.is_refund, false) or l.amount < 0 as is_refund,
        case when coalesce(l.is_refund, false) or l.amount < 0
            then -abs(l.amount) else l.amount end as amount
    from lines as l
    inner join customers as c on l.customer_id = c.customer_id
    where l.transacted_at is not null and l.amount is not null and l.amount != 0
),
as_of as (select max(cast(transacted_at as date)) + 1 as as_of_date from valid),
per_customer as (
    select
        c.customer_id,
        count(distinct case when not v.is_refund then v.order_id end) as frequency,
        coalesce(sum(v.amount), 0) as monetary_total,
        max(case when not v.is_refund then cast(v.transacted_at as date) end) as last_purchase
    from customers as c left join valid as v on c.customer_id = v.customer_id
    group by c.customer_id
),
rfm as (
    select p.*, date_diff('day', p.last_purchase, a.as_of_date) as recency_days
    from per_customer as p cross join as_of as a
),
cuts as (
    select
        quantile_cont(recency_days, [0.2, 0.4, 0.6, 0.8]) as r,
        quantile_cont(frequency, [0.2, 0.4, 0.6, 0.8]) as f,
        quantile_cont(monetary_total, [0.2, 0.4, 0.6, 0.8]) as m
    from rfm where last_purchase is not null
)
select
    rfm.*,
    case when recency_days is null then 1
        else 5 - list_count(list_filter(r, lambda x: recency_days > x)) end as recency_score,
    1 + list_count(list_filter(f, lambda x: frequency > x)) as frequency_score,
    1 + list_count(list_filter(m, lambda x: monetary_total > x)) as monetary_score
from rfm cross join cuts
"""


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command in a child process: wall seconds, its peak RSS in MiB, its stdout."""
    probe = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True); "
        "print(done.stdout); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(done.returncode)"
    )
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", probe, *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{completed.stdout[-2000:]}{completed.stderr[-4000:]}"
        )
    *output, peak_kib = completed.stdout.strip().splitlines()
    return wall, int(peak_kib) / 1024, "\n".join(output)


def run_dbt(directory: Path, work: Path) -> dict[str, float]:
    variables = {
        "input_source": "files",
        "input_file_template": f"{directory}/{{name}}.parquet",
        "optional_inputs": ["transactions"],
        # the generated customers carry no protected attributes
        "protected_attributes": [],
    }
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "SEGMENTATION_DUCKDB_PATH": str(work / "dbt.duckdb"),
        # one dbt thread: models run one after another, so their summed execution times
        # are wall time (DuckDB still uses every core inside each model)
        "SEGMENTATION_THREADS": "1",
    }
    for name in ("dbt.duckdb", "dbt.workspace.duckdb"):  # published and workspace
        (work / name).unlink(missing_ok=True)
    dbt = str(Path(sys.executable).with_name("dbt"))
    # the editable reference seeds are loaded first and not timed
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    seed = [dbt, "seed", "--select", "rfm_segment_map", "--vars", json.dumps(variables), *paths]
    subprocess.run(seed, env=env, check=True, capture_output=True, cwd=PROJECT_DIR)
    command = [dbt, "run", "--select", "+int_customer_features", "--vars", json.dumps(variables)]
    command += paths
    wall, rss, _ = measured(command, env)
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    models = sum(result["execution_time"] for result in results)
    return {"wall": wall, "models": models, "startup": wall - models, "rss": rss}


def run_query(directory: Path, work: Path) -> dict[str, float]:
    database = work / "query.duckdb"
    database.unlink(missing_ok=True)
    script = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); t = time.perf_counter(); "
        "c.execute(sys.argv[2]); print(time.perf_counter() - t)"
    )
    query = REFERENCE_QUERY.format(directory=directory)
    _, rss, output = measured([sys.executable, "-c", script, str(database), query])
    return {"wall": float(output.strip().splitlines()[-1]), "rss": rss}


def generate(directory: Path, customers: int) -> None:
    import duckdb

    with duckdb.connect() as connection:
        connection.execute(
            GENERATE.format(
                directory=directory, customers=customers, lines=customers * LINES_PER_CUSTOMER
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()

    print(
        "| customers | lines | dbt models s | dbt start-up s | dbt wall s | query s "
        "| models / query | dbt peak MiB | query peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for customers in arguments.scales:
        with tempfile.TemporaryDirectory() as scratch:
            directory, work = Path(scratch) / "input", Path(scratch) / "work"
            directory.mkdir()
            work.mkdir()
            generate(directory, customers)
            dbt_runs, query_runs = [], []
            for _ in range(arguments.repeats):  # alternate the two sides
                dbt_runs.append(run_dbt(directory, work))
                query_runs.append(run_query(directory, work))

            def median(runs: list[dict[str, float]], key: str) -> float:
                return statistics.median(run[key] for run in runs)

            models, query = median(dbt_runs, "models"), median(query_runs, "wall")
            print(
                f"| {customers:,} | {customers * LINES_PER_CUSTOMER:,} | {models:.2f} "
                f"| {median(dbt_runs, 'startup'):.2f} | {median(dbt_runs, 'wall'):.2f} "
                f"| {query:.2f} | {models / query:.2f} | {max(r['rss'] for r in dbt_runs):.0f} "
                f"| {max(r['rss'] for r in query_runs):.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
