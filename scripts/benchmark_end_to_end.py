"""End-to-end benchmark: the full `dbt build` against a plain pandas pipeline (issue 8).

For each scale it writes synthetic Parquet inputs in the input contract with DuckDB SQL
(range + hash: fast and deterministic): N customers (with protected attributes and
consent), about 20 transaction lines per customer (the feature benchmark's generator),
credit accounts for 70% of customers, and two campaigns each contacting about 10% of
customers (the propensity benchmark's generator: the latest is the target, the earlier
one gives the campaign history). Then it alternates, in the same run:

  dbt     the full `dbt build` (seeds, every model, data and unit tests) in files mode on
          a fresh DuckDB file, `segment_mode: retrain` so every round fits; the profile's
          dbt threads (2) unless --dbt-threads; per-model times from run_results.json;
  floors  on the database that build left: the hand-written DuckDB RFM query
          (benchmark_features.run_query), the plain KMeans / numpy floors of the
          segmentation stages (benchmark_segmentation.py --floor) and one
          HistGradientBoosting fit on the propensity training rows
          (benchmark_propensity.STANDALONE);
  pandas  scripts/reference_pandas_pipeline.py on the same files.

Wall time is the process's; peak memory is the largest RSS of the measured process tree
(benchmark_features.measured). The 1-minute load average is read before and after each
measurement. Medians over the rounds.

Usage: python scripts/benchmark_end_to_end.py [--scales 100000 1000000] [--repeats 3]
       [--with-10m] [--pandas-max-customers N] [--work-dir DIR] [--json FILE]
       python scripts/benchmark_end_to_end.py --demo 3     (dbt build on the demo seeds)
Results are printed as Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import benchmark_features  # scripts/ is on sys.path when run as a script
import benchmark_propensity
import benchmark_segmentation
from benchmark_features import measured

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCRIPTS = PROJECT_DIR / "scripts"
INPUTS = ["transactions", "credit_accounts", "campaign_responses"]
TABLES = ["customers", *INPUTS]

CREDIT_ACCOUNTS = """
copy (
    select
        'C' || lpad(cast(i as varchar), 8, '0') as customer_id,
        round((hash(i, 20) % 1000000) / 100.0, 2) as balance,
        1000 + 500 * (hash(i, 21) % 40) as credit_limit,
        round((hash(i, 22) % 300000) / 100.0, 2) as oneoff_purchases,
        round((hash(i, 23) % 200000) / 100.0, 2) as installments_purchases,
        round((hash(i, 22) % 300000) / 100.0 + (hash(i, 23) % 200000) / 100.0, 2) as purchases,
        case when hash(i, 24) % 3 = 0 then round((hash(i, 25) % 300000) / 100.0, 2) else 0 end
            as cash_advance,
        round((hash(i, 26) % 800000) / 100.0, 2) as payments,
        case when hash(i, 27) % 20 = 0 then null else round((hash(i, 28) % 200000) / 100.0, 2) end
            as minimum_payments,
        (hash(i, 29) % 1001) / 1000.0 as full_payment_ratio,
        (hash(i, 30) % 1001) / 1000.0 as balance_frequency,
        (hash(i, 31) % 1001) / 1000.0 as purchases_frequency,
        (hash(i, 32) % 1001) / 1000.0 as cash_advance_frequency,
        hash(i, 33) % 60 as purchase_transactions,
        hash(i, 34) % 10 as cash_advance_transactions,
        6 + hash(i, 35) % 7 as tenure_months
    from range({customers}) as t(i)
    where hash(i, 19) % 10 < 7
) to '{directory}/credit_accounts.parquet' (format parquet);
"""

# The same SQL as the three other benchmarks' generators; customers come from the
# feature benchmark (protected attributes included), campaigns from the propensity one.
GENERATE = benchmark_features.GENERATE + CREDIT_ACCOUNTS + benchmark_propensity.CAMPAIGN_RESPONSES


def load() -> float:
    return os.getloadavg()[0]


def generate(directory: Path, customers: int) -> None:
    import duckdb

    lines = customers * benchmark_features.LINES_PER_CUSTOMER
    with duckdb.connect() as connection:
        connection.execute(GENERATE.format(directory=directory, customers=customers, lines=lines))


class Build:
    """`dbt build` of the whole project in a scratch directory (a fresh database each run)."""

    def __init__(self, work: Path, variables: dict | None, threads: int | None) -> None:
        self.work = work
        self.variables = variables
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
            "SEGMENTATION_DUCKDB_PATH": str(work / "dbt.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        if threads:
            self.env["SEGMENTATION_THREADS"] = str(threads)

    @property
    def database(self) -> Path:
        """The workspace dbt builds in (every model; the marts are also published)."""
        return self.work / "dbt.workspace.duckdb"

    def run(self, fresh: bool = True) -> dict:
        """One `dbt build`: on a fresh database, or (``fresh`` false) on the one the
        last build left, as a daily build runs."""
        for path in (self.database, self.work / "dbt.duckdb"):
            if fresh:
                path.unlink(missing_ok=True)
        command = [str(Path(sys.executable).with_name("dbt")), "build"]
        if self.variables:
            command += ["--vars", json.dumps(self.variables)]
        command += ["--target-path", str(self.work / "target")]
        command += ["--log-path", str(self.work / "logs")]
        before = load()
        wall, rss, _ = measured(command, self.env)
        target = self.work / "target"
        results = json.loads((target / "run_results.json").read_text())["results"]
        manifest = json.loads((target / "manifest.json").read_text())
        times = {result["unique_id"]: result["execution_time"] for result in results}
        statuses = {}
        for result in results:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        return {
            "wall": wall,
            "rss": rss,
            "load": (before, load()),
            "times": times,
            "statuses": statuses,
            "stages": stage_times(times, manifest),
        }


def stage_times(times: dict[str, float], manifest: dict) -> dict[str, float]:
    """Summed execution_time per stage of the build (models grouped by the DAG)."""
    parents, children = manifest["parent_map"], manifest["child_map"]
    prefix = "model.customer_segmentation."

    def closure(start: str, edges: dict[str, list[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for node in edges.get(todo.pop(), []):
                if node.startswith(prefix) and node not in seen:
                    seen.add(node)
                    todo.append(node)
        return seen

    features = closure(prefix + "int_customer_features", parents)
    segmentation = {prefix + name for name in benchmark_segmentation.MODELS}
    propensity = closure(prefix + "int_propensity_campaign", children)
    stages = {"features": 0.0, "segmentation": 0.0, "propensity": 0.0, "other models": 0.0}
    stages.update({"seeds": 0.0, "tests": 0.0})
    for node, seconds in times.items():
        if node in features:
            stages["features"] += seconds
        elif node in segmentation:
            stages["segmentation"] += seconds
        elif node in propensity:
            stages["propensity"] += seconds
        elif node.startswith("model."):
            stages["other models"] += seconds
        elif node.startswith("seed."):
            stages["seeds"] += seconds
        else:
            stages["tests"] += seconds
    stages["all nodes"] = sum(times.values())
    return stages


def run_floors(directory: Path, build: Build) -> dict:
    """The standalone floors, each in its own process, on the database of the last build."""
    before = load()
    rfm = benchmark_features.run_query(directory, build.work)
    command = [sys.executable, str(SCRIPTS / "benchmark_segmentation.py")]
    _, _, output = measured([*command, "--floor", str(build.database)], build.env)
    segmentation = json.loads(output.strip().splitlines()[-1])
    settings = benchmark_segmentation.yaml.safe_load(
        (PROJECT_DIR / "python_models" / "fits" / "propensity" / "_ml_propensity.yml").read_text()
    )["models"][0]["config"]["meta"]["propensity"]
    propensity = benchmark_propensity.standalone_fit(build.database, settings)
    return {
        "rfm_query": rfm["wall"],
        "selection": segmentation["selection"],
        "final_fit": segmentation["final_fit"],
        "scoring": segmentation["scoring"],
        "chosen_k": segmentation["chosen_k"],
        "propensity_fit": propensity["fit_seconds"],
        "propensity_fit_one_call": propensity["one_call_fit_seconds"],
        "propensity_rows": propensity["rows"],
        "load": (before, load()),
    }


def run_pandas(directory: Path, work: Path) -> dict:
    output = work / "pandas_output"
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, str(SCRIPTS / "reference_pandas_pipeline.py")]
    before = load()
    wall, rss, printed = measured([*command, str(directory), str(output)])
    return {
        "wall": wall,
        "rss": rss,
        "load": (before, load()),
        **json.loads(printed.strip().splitlines()[-1]),
    }


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def loads(runs: list[dict]) -> str:
    values = [value for run in runs for value in run["load"]]
    return f"{min(values):.1f} to {max(values):.1f}"


def report(customers: int, builds: list[dict], floors: list[dict], pandas: list[dict]) -> None:
    lines = customers * benchmark_features.LINES_PER_CUSTOMER
    print(f"\n### {customers:,} customers, {lines:,} transaction lines\n")
    print(f"{len(builds)} alternating round(s); node statuses of the last build: ", end="")
    print(
        ", ".join(f"{count} {status}" for status, count in sorted(builds[-1]["statuses"].items()))
    )
    print()
    print("| side | wall s (median) | wall s (runs) | peak RSS MiB | load 1-min |")
    print("|---|---|---|---|---|")
    sides = [("dbt build", builds)] + ([("pandas pipeline", pandas)] if pandas else [])
    for name, runs in sides:
        walls = ", ".join(f"{run['wall']:.1f}" for run in runs)
        print(
            f"| {name} | {median(runs, 'wall'):.1f} | {walls} "
            f"| {max(run['rss'] for run in runs):.0f} | {loads(runs)} |"
        )
    if pandas:
        ratios = ", ".join(
            f"{p['wall'] / b['wall']:.2f}" for b, p in zip(builds, pandas, strict=True)
        )
        print(
            f"\npandas / dbt wall: **{median(pandas, 'wall') / median(builds, 'wall'):.2f}x** "
            f"(per round: {ratios}); pandas chose k = {pandas[-1]['chosen_k']}, out-of-fold "
            f"ROC-AUC {pandas[-1]['oof_roc_auc']}; pandas steps s (last round): "
            + ", ".join(f"{key} {value:.1f}" for key, value in pandas[-1]["steps"].items())
        )
    if not floors:
        return

    def stage(run: dict, key: str) -> float:
        return run["stages"][key]

    def model(run: dict, name: str) -> float:
        return run["times"][f"model.customer_segmentation.{name}"]

    rows = [
        (
            "features (every model up to int_customer_features)",
            "rfm_query",
            "DuckDB RFM query",
            lambda run: stage(run, "features"),
        ),
        (
            "K selection (ml_segment_model_selection)",
            "selection",
            "KMeans fits over the k range",
            lambda run: model(run, "ml_segment_model_selection"),
        ),
        (
            "final fit (ml_segment_centroids)",
            "final_fit",
            "one KMeans at the chosen k",
            lambda run: model(run, "ml_segment_centroids"),
        ),
        (
            "SQL scoring (int_customer_segment_scores)",
            "scoring",
            "numpy nearest centroid",
            lambda run: model(run, "int_customer_segment_scores"),
        ),
        (
            "propensity layer (int_propensity_campaign+)",
            "propensity_fit",
            "one HGB fit",
            lambda run: stage(run, "propensity"),
        ),
        (
            "propensity layer (int_propensity_campaign+)",
            "propensity_fit_one_call",
            "one HGB fit, one-call binning",
            lambda run: stage(run, "propensity"),
        ),
        (
            "propensity OOF (ml_propensity_oof_predictions)",
            "propensity_fit",
            "one HGB fit",
            lambda run: model(run, "ml_propensity_oof_predictions"),
        ),
        (
            "propensity final fit (ml_propensity_model)",
            "propensity_fit",
            "one HGB fit",
            lambda run: model(run, "ml_propensity_model"),
        ),
    ]
    print(
        f"\nStages against their floors (chosen k = {floors[-1]['chosen_k']}, "
        f"{floors[-1]['propensity_rows']:,} propensity training rows; floors at load "
        f"{loads(floors)}):\n"
    )
    print("| stage (dbt) | dbt s | floor | floor s | dbt / floor |")
    print("|---|---|---|---|---|")
    for name, key, floor_name, seconds in rows:
        ours = statistics.median(seconds(run) for run in builds)
        theirs = median(floors, key)
        print(f"| {name} | {ours:.2f} | {floor_name} | {theirs:.2f} | {ours / theirs:.1f} |")
    print("\nSummed execution_time per stage of the build (median s):\n")
    print("| " + " | ".join(builds[0]["stages"]) + " | wall |")
    print("|" + "---|" * (len(builds[0]["stages"]) + 1))
    print(
        "| "
        + " | ".join(
            f"{statistics.median(stage(b, key) for b in builds):.1f}" for key in builds[0]["stages"]
        )
        + f" | {median(builds, 'wall'):.1f} |"
    )
    slowest(builds)


def slowest(builds: list[dict], count: int = 12) -> None:
    nodes = builds[0]["times"]
    medians = {node: statistics.median(b["times"].get(node, 0.0) for b in builds) for node in nodes}
    print(f"\nSlowest nodes (median execution_time of {len(builds)} build(s)):\n")
    print("| node | s |")
    print("|---|---|")
    for node, seconds in sorted(medians.items(), key=lambda item: -item[1])[:count]:
        kind, _, *name = node.split(".")
        label = name[0] if kind in ("model", "seed", "test") else ".".join(name)
        print(f"| {kind} {label} | {seconds:.2f} |")


def scale(
    customers: int,
    repeats: int,
    root: Path,
    threads: int | None,
    sides: set[str],
    reuse_inputs: bool = False,
) -> dict:
    directory, work = root / f"input_{customers}", root / f"work_{customers}"
    directory.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    if not (reuse_inputs and all((directory / f"{name}.parquet").exists() for name in TABLES)):
        generate(directory, customers)
    variables = {
        "input_source": "files",
        "input_file_template": f"{directory}/{{name}}.parquet",
        "optional_inputs": INPUTS,
        "segment_mode": "retrain",
        # the pandas pipeline clusters every customer, those without a card included
        "segment_missing_family": "impute",
    }
    build = Build(work, variables, threads)
    result = {"customers": customers, "builds": [], "floors": [], "pandas": []}
    for _ in range(repeats):  # alternate the sides
        result["builds"].append(build.run())
        if "floors" in sides:
            result["floors"].append(run_floors(directory, build))
        if "pandas" in sides:
            result["pandas"].append(run_pandas(directory, work))
        # every round as it ends (stderr), so a run stopped early keeps what it measured
        latest = {side: result[side][-1] for side in ("builds", "floors", "pandas") if result[side]}
        print(json.dumps({"customers": customers, **latest}), file=sys.stderr)
    report(customers, result["builds"], result["floors"], result["pandas"])
    return result


def demo(repeats: int, root: Path, threads: int | None) -> dict:
    build = Build(root, None, threads)
    builds = []
    for _ in range(repeats):
        builds.append(build.run())
        print(json.dumps(builds[-1]), file=sys.stderr)
    print("\n### Demo build (`dbt build` on the bundled seeds, fresh database each run)\n")
    walls = ", ".join(f"{run['wall']:.1f}" for run in builds)
    print(
        f"wall s: median **{median(builds, 'wall'):.1f}** (runs {walls}); peak RSS "
        f"{max(run['rss'] for run in builds):.0f} MiB; load {loads(builds)}; node statuses: "
        + ", ".join(f"{count} {status}" for status, count in sorted(builds[-1]["statuses"].items()))
    )
    slowest(builds)
    return {"demo": builds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--with-10m", action="store_true", help="add 10,000,000 customers")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--pandas-max-customers",
        type=int,
        default=1_000_000,
        help="skip the pandas pipeline above this scale (memory)",
    )
    parser.add_argument("--no-floors", action="store_true", help="dbt build and pandas only")
    parser.add_argument("--dbt-threads", type=int, help="dbt threads (default: the profile's)")
    parser.add_argument("--demo", type=int, metavar="RUNS", help="only time the demo build")
    parser.add_argument("--work-dir", help="keep inputs, databases and outputs here")
    parser.add_argument("--json", help="also write every measurement to this file")
    parser.add_argument(
        "--reuse-inputs",
        action="store_true",
        help="keep the Parquet inputs a previous run left in --work-dir (same generator)",
    )
    arguments = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench_e2e_")
    root = Path(arguments.work_dir or scratch)
    try:
        if arguments.demo:
            results = [demo(arguments.demo, root, arguments.dbt_threads)]
            if arguments.json:
                Path(arguments.json).write_text(json.dumps(results, indent=1))
        else:
            scales = arguments.scales + ([10_000_000] if arguments.with_10m else [])
            results = []
            for customers in scales:
                sides = set() if arguments.no_floors else {"floors"}
                if customers <= arguments.pandas_max_customers:
                    sides.add("pandas")
                results.append(
                    scale(
                        customers,
                        arguments.repeats,
                        root,
                        arguments.dbt_threads,
                        sides,
                        arguments.reuse_inputs,
                    )
                )
                if arguments.json:  # after every scale: a long run keeps what it measured
                    Path(arguments.json).write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
