"""The daily build on a local Spark session at scale, with fits brought over from DuckDB
(issue 22).

At one scale: the synthetic inputs of benchmark_end_to_end.py as Parquet; a DuckDB
`dbt build` that fits both models (on the same inputs, or on a smaller scale of the same
generator: --fit-customers) and `export_registered_models`, unless --fits-dir already
holds exported fits; the inputs registered as Spark tables `raw.<input>`; then the timed
`dbt build --target spark` (input_source warehouse, fit_in_python false: the fits are
read from the exported Parquet files, everything else is SQL on Spark).

Measured: wall time, peak RSS of the process tree summed (dbt's Python and Spark's JVM,
sampled every 0.2 s) and of its largest process, the 1-minute load average before and
after, dbt's per-node times (run_results.json) and, from Spark's event log, each
model's input bytes, shuffle bytes written, spill and stage count (stages mapped to the
node running when they were submitted: the spark target runs one dbt thread).

Usage: python scripts/benchmark_spark.py --customers 1000000 [--fit-customers N]
       [--fits-dir DIR] [--work-dir DIR] [--reuse-inputs] [--driver-memory 4g]
       [--shuffle-partitions 4] [--json FILE]
Results are printed as Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import benchmark_end_to_end as end_to_end  # scripts/ is on sys.path when run as a script

PROJECT_DIR = end_to_end.PROJECT_DIR
DBT = str(Path(sys.executable).with_name("dbt"))

# The inputs as Spark tables in the session's metastore (same warehouse and metastore
# folders as the dbt run, so dbt's session sees them).
REGISTER = """
import sys
from pyspark.sql import SparkSession
directory, warehouse, metastore, *tables = sys.argv[1:]
spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.sql.warehouse.dir", warehouse)
    .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={metastore}")
    .config("spark.ui.enabled", "false")
    .enableHiveSupport()
    .getOrCreate()
)
spark.sql("create database if not exists raw")
for table in tables:
    spark.sql(f"drop table if exists raw.{table}")
    spark.sql(f"create table raw.{table} using parquet location '{directory}/{table}.parquet'")
spark.stop()
"""


# Operators counted in each node's physical plans besides the shuffles (Exchange, by
# partitioning: SinglePartition moves every row to one task).
PLAN_OPERATORS = (
    "BroadcastExchange",
    "Window",
    "SortMergeJoin",
    "BroadcastHashJoin",
    "BroadcastNestedLoopJoin",
    "CartesianProduct",
)


def _plan_operators(description: str) -> list[tuple[str, int]]:
    """(operator, count) in one formatted physical plan; Exchange named by partitioning."""
    sections = description.split("\n\n(")[1:]
    names = [section.split("\n", 1)[0].split(") ", 1)[-1].split(" ")[0] for section in sections]
    found = [(op, names.count(op)) for op in PLAN_OPERATORS]
    for section in sections:
        if section.split("\n", 1)[0].endswith(") Exchange") and "Arguments: " in section:
            kind = section.split("Arguments: ", 1)[1].split("(", 1)[0].split(",")[0].strip()
            found.append((f"Exchange {kind}", 1))
    return found


def _tree_rss(root: int, page: int) -> tuple[int, int]:
    """Summed and largest RSS (bytes) of ``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            pages = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * page
    todo, seen = [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(children.get(pid, []))
    sizes = [rss.get(pid, 0) for pid in seen]
    return sum(sizes), max(sizes)


def measured_tree(
    command: list[str], env: dict[str, str], log: Path, limit: float | None = None
) -> dict:
    """Run a command: wall seconds, peak summed and largest RSS (MiB) of its tree. After
    ``limit`` seconds its process group is interrupted (SIGINT, then SIGKILL)."""
    page = os.sysconf("SC_PAGE_SIZE")
    before = os.getloadavg()[0]
    started = time.perf_counter()
    stopped = False
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, cwd=PROJECT_DIR, stdout=output, stderr=output, start_new_session=True
        )
        peak_sum = peak_one = 0
        while process.poll() is None:
            total, largest = _tree_rss(process.pid, page)
            peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
            elapsed = time.perf_counter() - started
            if limit and elapsed > limit and not stopped:
                stopped = True
                os.killpg(process.pid, signal.SIGINT)
            if stopped and elapsed > limit + 60:
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(0.2)
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "rss": peak_sum / 2**20,
        "rss_largest": peak_one / 2**20,
        "load": (before, os.getloadavg()[0]),
        "returncode": process.returncode,
        "stopped_after": limit if stopped else None,
    }


def prepare_fits(arguments: argparse.Namespace, root: Path, fits: Path) -> dict | None:
    """A DuckDB build that fits both models, and its fits exported to ``fits``."""
    if fits.exists() and any(fits.glob("*.parquet")):
        return None
    customers = arguments.fit_customers or arguments.customers
    directory = inputs(root, customers, arguments.reuse_inputs)
    work = root / f"duckdb_{customers}"
    work.mkdir(parents=True, exist_ok=True)
    build = end_to_end.Build(work, variables(directory), None)
    result = build.run()
    fits.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *(DBT, "run-operation", "export_registered_models"),
            *("--args", f"{{directory: '{fits}'}}"),
            *("--target-path", str(work / "target"), "--log-path", str(work / "logs")),
        ],
        env=build.env,
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
    )
    return {"customers": customers, **{k: result[k] for k in ("wall", "rss", "load")}}


def variables(directory: Path) -> dict:
    return {
        "input_source": "files",
        "input_file_template": f"{directory}/{{name}}.parquet",
        "optional_inputs": end_to_end.INPUTS,
        # as the other benchmarks: every customer clustered, those without a card included
        "segment_missing_family": "impute",
    }


def inputs(root: Path, customers: int, reuse: bool) -> Path:
    directory = root / f"input_{customers}"
    directory.mkdir(parents=True, exist_ok=True)
    if not (reuse and all((directory / f"{t}.parquet").exists() for t in end_to_end.TABLES)):
        end_to_end.generate(directory, customers)
    return directory


def spark_env(arguments: argparse.Namespace, work: Path) -> dict[str, str]:
    events = work / "events"
    events.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SEGMENTATION_SPARK_MASTER": arguments.master,
        "SEGMENTATION_SPARK_DRIVER_MEMORY": arguments.driver_memory,
        "SEGMENTATION_SPARK_SHUFFLE_PARTITIONS": str(arguments.shuffle_partitions),
        "SEGMENTATION_SPARK_WAREHOUSE": str(work / "spark-warehouse"),
        "SEGMENTATION_SPARK_METASTORE": str(work / "spark-metastore"),
        # the event log, uncompressed, for the stages and shuffles of each model
        "PYSPARK_SUBMIT_ARGS": (
            f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{events} "
            "--conf spark.eventLog.compress=false pyspark-shell"
        ),
    }


def spark_build(arguments: argparse.Namespace, directory: Path, fits: Path, work: Path) -> dict:
    env = spark_env(arguments, work)
    register = [sys.executable, "-c", REGISTER, str(directory), env["SEGMENTATION_SPARK_WAREHOUSE"]]
    register += [env["SEGMENTATION_SPARK_METASTORE"], *end_to_end.TABLES]
    subprocess.run(register, env={**env, "PYSPARK_SUBMIT_ARGS": "pyspark-shell"}, check=True)
    build_vars = {
        "input_source": "warehouse",
        "input_schema": "raw",
        "optional_inputs": end_to_end.INPUTS,
        "segment_missing_family": "impute",
        "registered_models_dir": str(fits),
    }
    command = [DBT, "build", "--target", "spark", "--vars", json.dumps(build_vars)]
    command += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    started = datetime.now().astimezone()
    result = measured_tree(command, env, work / "build.log", arguments.stop_after)
    result["started"] = started.isoformat(timespec="seconds")
    run_results = work / "target" / "run_results.json"
    if result["stopped_after"] or not run_results.exists():
        result["times"], result["running"] = logged_times(work / "build.log")
        result["statuses"] = {"finished (from the log)": len(result["times"])}
        result["spark"] = stage_metrics(work / "events", logged_windows(work / "build.log"))
    else:
        nodes = json.loads(run_results.read_text())["results"]
        result["times"] = {node["unique_id"]: node["execution_time"] for node in nodes}
        result["statuses"] = {}
        for node in nodes:
            result["statuses"][node["status"]] = result["statuses"].get(node["status"], 0) + 1
        result["failures"] = [
            {"node": node["unique_id"], "message": node["message"]}
            for node in nodes
            if node["status"] in ("error", "fail")
        ]
        result["spark"] = stage_metrics(work / "events", nodes)
    return result


LOG_LINE = re.compile(
    r"(\d\d:\d\d:\d\d)  \d+ of \d+ (START|OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b.*? (\S+) [. ]*\["
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _log_events(log: Path) -> list[tuple[str, str, str, str]]:
    """(clock, event, node name, line) of dbt's node lines in a build's console log."""
    found = []
    for raw in log.read_text(errors="replace").splitlines():
        line = ANSI.sub("", raw)
        match = LOG_LINE.search(line)
        if match:
            found.append((match[1], match[2], match[3].rsplit(".", 1)[-1], line))
    return found


def logged_times(log: Path) -> tuple[dict[str, float], str | None]:
    """Seconds per finished node from the console log (a build stopped before dbt wrote
    run_results.json), and the node still running."""
    times, started = {}, {}
    for _, event, name, line in _log_events(log):
        if event == "START":
            started[name] = line
            continue
        seconds = re.search(r" in (\d+\.\d+)s\]", line)
        times[name] = float(seconds[1]) if seconds else 0.0
        started.pop(name, None)
    return times, next(iter(started), None)


def logged_windows(log: Path) -> list[dict]:
    """run_results-like nodes (name and execute window) from the console log's clocks."""
    day = datetime.fromtimestamp(log.stat().st_mtime).astimezone().date().isoformat()
    opened, nodes = {}, []
    for clock, event, name, _ in _log_events(log):
        stamp = f"{day}T{clock}"
        if event == "START":
            opened[name] = stamp
        elif name in opened:
            timing = {"name": "execute", "started_at": opened.pop(name), "completed_at": stamp}
            nodes.append({"unique_id": name, "timing": [timing]})
    nodes += [
        {"unique_id": name, "timing": [{"name": "execute", "started_at": at, "completed_at": end}]}
        for name, at in opened.items()
        for end in [f"{day}T23:59:59"]
    ]
    return nodes


def _epoch_ms(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def stage_metrics(events: Path, nodes: list[dict]) -> dict[str, dict]:
    """Per dbt node: stages, tasks, input bytes, shuffle bytes written, spill, largest
    task peak execution memory, summed from the newest event log."""
    logs = sorted(events.glob("*"), key=lambda path: path.stat().st_mtime)
    if not logs:
        return {}
    windows = []
    for node in nodes:
        execute = [t for t in node.get("timing", []) if t["name"] == "execute"]
        if execute and execute[0].get("started_at"):
            windows.append(
                (
                    _epoch_ms(execute[0]["started_at"]),
                    _epoch_ms(execute[0]["completed_at"]),
                    node["unique_id"],
                )
            )
    stage_node: dict[int, str] = {}
    metrics: dict[str, dict] = {}
    for line in _event_lines(logs[-1]):
        event = json.loads(line)
        kind = event["Event"]
        if kind.endswith("SparkListenerSQLExecutionStart"):
            started = int(event["time"])
            running = (n for s, e, n in windows if s <= started <= e + 500)
            entry = metrics.setdefault(next(running, "outside nodes"), _empty())
            for operator, count in _plan_operators(event.get("physicalPlanDescription", "")):
                entry["plan"][operator] = entry["plan"].get(operator, 0) + count
        elif kind == "SparkListenerStageSubmitted":
            info = event["Stage Info"]
            submitted = info.get("Submission Time", 0)
            running = (n for s, e, n in windows if s <= submitted <= e + 500)
            owner = next(running, "outside nodes")
            stage_node[info["Stage ID"]] = owner
            entry = metrics.setdefault(owner, _empty())
            entry["stages"] += 1
        elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
            owner = stage_node.get(event["Stage ID"], "outside nodes")
            entry = metrics.setdefault(owner, _empty())
            task = event["Task Metrics"]
            entry["tasks"] += 1
            entry["input_bytes"] += task["Input Metrics"]["Bytes Read"]
            written = task["Shuffle Write Metrics"]["Shuffle Bytes Written"]
            entry["shuffle_write_bytes"] += written
            entry["spill_bytes"] += task["Disk Bytes Spilled"]
            entry["peak_task_memory"] = max(
                entry["peak_task_memory"], task.get("Peak Execution Memory", 0)
            )
    return metrics


def _event_lines(log: Path):
    """The lines of one event log: a file, or Spark 4's rolling folder of events_<n>_ files."""
    parts = [log]
    if log.is_dir():
        parts = sorted(log.glob("events_*"), key=lambda path: int(path.name.split("_")[1]))
    for part in parts:
        with part.open() as lines:
            yield from lines


def _empty() -> dict:
    keys = ("stages", "tasks", "input_bytes", "shuffle_write_bytes", "spill_bytes")
    return {**dict.fromkeys(keys, 0), "peak_task_memory": 0, "plan": {}}


def _operators(metrics: dict) -> str:
    plan = metrics.get("plan", {})
    return ", ".join(f"{n} {op.strip()}" for op, n in plan.items() if n) or "none"


def report(arguments: argparse.Namespace, fit: dict | None, spark: dict, size: int) -> None:
    customers = arguments.customers
    lines = customers * end_to_end.benchmark_features.LINES_PER_CUSTOMER
    print(f"\n### Spark, {customers:,} customers, {lines:,} lines\n")
    print(
        f"master {arguments.master}, driver memory {arguments.driver_memory}, "
        f"{arguments.shuffle_partitions} shuffle partitions; inputs {size / 2**20:,.0f} MiB "
        f"of Parquet; started {spark['started']}\n"
    )
    print("| build | wall s | peak RSS MiB (tree) | largest process MiB | load 1-min | result |")
    print("|---|---|---|---|---|---|")
    if fit:
        print(
            f"| DuckDB fit build ({fit['customers']:,} customers) | {fit['wall']:.1f} "
            f"| {fit['rss']:.0f} | | {fit['load'][0]:.1f} to {fit['load'][1]:.1f} | ok |"
        )
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(spark.get("statuses", {}).items()))
    print(
        f"| dbt build --target spark | {spark['wall']:.1f} | {spark['rss']:.0f} "
        f"| {spark['rss_largest']:.0f} | {spark['load'][0]:.1f} to {spark['load'][1]:.1f} "
        f"| exit {spark['returncode']}: {statuses} |"
    )
    if spark.get("stopped_after"):
        print(
            f"\n**Stopped** after {spark['stopped_after']:.0f} s, while `{spark.get('running')}` "
            f"ran; {len(spark['times'])} nodes had finished (times from the console log)."
        )
    for failure in spark.get("failures", [])[:5]:
        print(f"\n- **{failure['node']}**: {(failure['message'] or '')[:300]}")
    times, stages = spark.get("times", {}), spark.get("spark", {})
    total = sum(times.values())
    tests = sum(s for node, s in times.items() if node.startswith(("test.", "unit_test.")))
    print(f"\nNode time {total:.1f} s, of it tests {tests:.1f} s.\n")
    header = "| node | s | stages | input MiB | shuffle write MiB | spill MiB | peak task MiB"
    print(header + " | plan operators |")
    print("|---|---|---|---|---|---|---|---|")
    for node, seconds in sorted(times.items(), key=lambda item: -item[1])[:15]:
        m = stages.get(node, _empty())
        print(
            f"| {node.split('.', 2)[-1]} | {seconds:.1f} | {m['stages']} "
            f"| {m['input_bytes'] / 2**20:,.0f} | {m['shuffle_write_bytes'] / 2**20:,.0f} "
            f"| {m['spill_bytes'] / 2**20:,.0f} | {m['peak_task_memory'] / 2**20:,.0f} "
            f"| {_operators(m)} |"
        )
    shuffling = sorted(
        ((n, m) for n, m in stages.items() if m["shuffle_write_bytes"]),
        key=lambda item: -item[1]["shuffle_write_bytes"],
    )
    print("\nNodes that shuffle most (shuffle bytes written):\n")
    for node, m in shuffling[:15]:
        print(
            f"- {node.split('.', 2)[-1]}: {m['shuffle_write_bytes'] / 2**20:,.0f} MiB "
            f"in {m['stages']} stages; {_operators(m)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--fit-customers", type=int, help="fit on DuckDB at this scale")
    parser.add_argument("--fits-dir", help="exported fits to reuse (written here if empty)")
    parser.add_argument("--work-dir", help="keep inputs, warehouses and logs here")
    parser.add_argument("--reuse-inputs", action="store_true", help="keep generated Parquet")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--shuffle-partitions", type=int, default=4)
    parser.add_argument(
        "--stop-after", type=float, help="interrupt the Spark build after this many seconds"
    )
    parser.add_argument("--json", help="also write every measurement to this file")
    arguments = parser.parse_args()
    root = Path(arguments.work_dir or tempfile.mkdtemp(prefix="bench_spark_"))
    root.mkdir(parents=True, exist_ok=True)
    fit_scale = arguments.fit_customers or arguments.customers
    fits = Path(arguments.fits_dir or root / f"fits_{fit_scale}")
    fit = prepare_fits(arguments, root, fits)
    directory = inputs(root, arguments.customers, arguments.reuse_inputs)
    work = root / f"spark_{arguments.customers}"
    work.mkdir(parents=True, exist_ok=True)
    spark = spark_build(arguments, directory, fits, work)
    if arguments.json:
        Path(arguments.json).write_text(json.dumps({"fit": fit, "spark": spark}, indent=1))
    size = sum(path.stat().st_size for path in directory.rglob("*.parquet"))
    report(arguments, fit, spark, size)


if __name__ == "__main__":
    main()
