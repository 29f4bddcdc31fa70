"""Benchmark the propensity layer against one standalone fit of the same estimator.

For each scale it writes synthetic Parquet inputs (N customers with two profile columns,
consent and the default protected attributes; an earlier campaign and the target
campaign each contacting N / 10 customers, about 15% responding), builds everything
upstream of the propensity layer (untimed), then in the same run:

  layer      `dbt run` of the propensity layer (int_propensity_campaign and everything
             downstream of it: feature snapshot, out-of-fold predictions of both learners,
             final refit, scores and reason codes for every customer, SQL marts and
             propensity fairness; not run_manifest, the build's audit row, which hashes
             every input), one dbt thread; we report dbt's summed model execution times
             (run_results.json);
  standalone one HistGradientBoostingClassifier fit, same settings as
             python_models/fits/propensity/_ml_propensity.yml, on the same training rows and columns,
             as scikit-learn ships it; and, in another process, the same fit with the
             one-call weighted binning the layer installs
             (customer_segmentation._sklearn_private.binning).

The layer and the fit alternate for --repeats rounds on the same inputs, so both see
the same machine load; each round prints its ratio and the 1-minute load average.

Usage: python scripts/benchmark_propensity.py [--scales 1000000] [--repeats 3] [--keep DIR]
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

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
LAYER = "int_propensity_campaign+"

CUSTOMERS = """
copy (
    select
        'C' || lpad(cast(i as varchar), 8, '0') as customer_id,
        20000 + hash(i, 3) % 100000 as annual_income,
        1 + hash(i, 4) % 5 as household_size,
        hash(i, 5) % 5 != 0 as has_marketing_consent,
        -- the default protected attributes (fairness only, never features)
        case when hash(i, 6) % 2 = 0 then 'F' else 'M' end as gender,
        18 + hash(i, 7) % 60 as age,
        ['single', 'married', 'divorced'][cast(1 + hash(i, 8) % 3 as bigint)] as marital_status
    from range({customers}) as t(i)
) to '{directory}/customers.parquet' (format parquet);
"""

# Also used by benchmark_end_to_end.py: customer i's income is the same expression there.
CAMPAIGN_RESPONSES = """
copy (
    select
        'C' || lpad(cast(i as varchar), 8, '0') as customer_id,
        campaign_id,
        contacted_at,
        -- about 15% respond, more with income and after an earlier response
        hash(i, 11, campaign_id) % 1000
            < 60 + (hash(i, 3) % 100000) / 400 + case when hash(i, 12) % 4 = 0 then 80 else 0 end
            as responded
    from range({customers}) as t(i)
    cross join (values ('K0', date '2025-01-15', 13), ('K1', date '2025-06-15', 14))
        as campaigns(campaign_id, contacted_at, salt)
    where hash(i * 31 + salt) % 10 = 0
) to '{directory}/campaign_responses.parquet' (format parquet);
"""
GENERATE = CUSTOMERS + CAMPAIGN_RESPONSES


def dbt(work: Path, directory: Path, *args: str) -> float:
    """Run dbt on the synthetic inputs; return its wall time."""
    variables = {
        "input_source": "files",
        "input_file_template": f"{directory}/{{name}}.parquet",
        "optional_inputs": ["campaign_responses"],
        "as_of_date": "2025-12-01",
    }
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "SEGMENTATION_DUCKDB_PATH": str(work / "bench.duckdb"),
    }
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--threads", "1"]
    command += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    command += ["--vars", json.dumps(variables)]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{completed.stdout[-4000:]}")
    return time.perf_counter() - started


STANDALONE = """
import json, sys, time
import duckdb
from sklearn.ensemble import HistGradientBoostingClassifier
from customer_segmentation.propensity.data import propensity_data_from_tables
settings = json.loads(sys.argv[2])
if len(sys.argv) > 3 and sys.argv[3] == "one-call":
    # the layer's one-call weighted binning (customer_segmentation._sklearn_private.binning)
    from customer_segmentation._sklearn_private.binning import use_one_call_binning
    use_one_call_binning()
with duckdb.connect(sys.argv[1], read_only=True) as connection:
    def table(name, limit=""):
        return connection.sql(f"select * from {name} {limit}").df()
    data = propensity_data_from_tables(
        table("int_propensity_features"), table("int_customer_attributes", "limit 0"),
        table("int_propensity_campaign"), table("ml_segment_preprocessing"),
        table("ml_segment_centroids"),
    )
model = HistGradientBoostingClassifier(
    **{"random_state": settings["random_state"], **settings["gradient_boosting"]},
    class_weight=settings["class_weight"],
)
started = time.perf_counter()
model.fit(data.training_features, data.target)
print(json.dumps({"fit_seconds": time.perf_counter() - started, "rows": len(data.target)}))
"""


def standalone_fit(database: Path, settings: dict) -> dict:
    """On the propensity tables of ``database``: one HistGradientBoostingClassifier fit in
    its own process, as scikit-learn ships it, then one in another process with the
    one-call binning: seconds and rows."""
    result = {}
    for binning, key in (("stock", "fit_seconds"), ("one-call", "one_call_fit_seconds")):
        completed = subprocess.run(
            [sys.executable, "-c", STANDALONE, str(database), json.dumps(settings), binning],
            check=True,
            capture_output=True,
            text=True,
        )
        fit = json.loads(completed.stdout)
        result.update({key: fit["fit_seconds"], "rows": fit["rows"]})
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="alternating rounds per scale")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    arguments = parser.parse_args()
    meta = yaml.safe_load(
        (PROJECT_DIR / "python_models" / "fits" / "propensity" / "_ml_propensity.yml").read_text()
    )
    settings = meta["models"][0]["config"]["meta"]["propensity"]
    rows = []
    breakdown: dict[int, dict[str, list[float]]] = {}
    for customers in arguments.scales:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            if arguments.keep:
                work = arguments.keep / str(customers)
                work.mkdir(parents=True, exist_ok=True)
            import duckdb

            with duckdb.connect() as connection:
                connection.execute(GENERATE.format(customers=customers, directory=work))
            dbt(work, work, "seed")
            dbt(work, work, "run", "--exclude", LAYER)
            per_model = breakdown.setdefault(customers, {})
            for round_number in range(1, arguments.repeats + 1):
                # alternate: the layer, then the standalone fit, so both see the same load
                dbt(work, work, "run", "--select", LAYER, "--exclude", "run_manifest")
                results = json.loads((work / "target" / "run_results.json").read_text())
                layer = sum(result["execution_time"] for result in results["results"])
                for result in results["results"]:
                    name = result["unique_id"].split(".")[-1]
                    per_model.setdefault(name, []).append(result["execution_time"])
                standalone = standalone_fit(work / "bench.workspace.duckdb", settings)
                load = os.getloadavg()[0]
                rows.append(
                    f"| {customers:,} | {standalone['rows']:,} | {round_number} | {layer:.1f} | "
                    f"{standalone['fit_seconds']:.2f} | {standalone['one_call_fit_seconds']:.2f} | "
                    f"{layer / standalone['fit_seconds']:.1f} | "
                    f"{layer / standalone['one_call_fit_seconds']:.1f} | {load:.1f} |"
                )
                print(rows[-1], file=sys.stderr, flush=True)
    print(
        "| customers | contacted | round | layer models s | standalone fit s "
        "| fit s, one-call binning | layer / fit | layer / one-call fit | load (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("| customers | model | median s | rounds s |")
    print("|---|---|---|---|")
    for customers, per_model in breakdown.items():
        for name, times in sorted(per_model.items(), key=lambda item: -statistics.median(item[1])):
            rounds = ", ".join(f"{time:.2f}" for time in times)
            print(f"| {customers:,} | {name} | {statistics.median(times):.2f} | {rounds} |")


if __name__ == "__main__":
    main()
