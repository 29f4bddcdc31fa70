"""Benchmark the segmentation layer against standalone floors (issue: segmentation).

It writes N synthetic customers with F numeric profile columns (a fixed-seed mixture of
Gaussian segments) as Parquet in the input contract, builds the feature layer once
(not timed), then alternates, in the same run:

  dbt    `dbt run` of the five segmentation models (ml_segment_preprocessing,
         ml_segment_model_selection, ml_segment_centroids, ml_segment_pca and
         int_customer_segment_scores, which scores and places every customer on the map)
         with one dbt thread; per-model times are dbt's execution_time (run_results.json), the layer
         wall time is the whole process (start-up and parsing included);
  floor  in its own process, on the same standardized rows with the same settings (read
         from the models' YAML): plain scikit-learn KMeans fits over the same k range on
         the same fixed-seed sample (K selection floor), one plain KMeans at the chosen k
         on the final fit's sample (final fit floor), and numpy nearest-centroid
         assignment of every customer to the fitted centroids (scoring floor). For the
         reading of the ratios, not as floors: the import of scikit-learn in a fresh
         process, the cost of writing the scored table into a DuckDB file (each also
         added to its floor, the import with the stability refits: what no
         implementation of the stage as the issue specifies it avoids), and the
         scoring model's whole job done in numpy (read the raw features from DuckDB,
         preprocess, map, score, write the table).

Usage: python scripts/benchmark_segmentation.py [--customers 1000000] [--features 10]
       [--repeats 3]
Results are printed as Markdown tables for docs/benchmarks.md.
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
from typing import TYPE_CHECKING

import yaml
from benchmark_features import measured  # scripts/ is on sys.path when run as a script

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[1]
MODELS = (
    "ml_segment_preprocessing",
    "ml_segment_model_selection",
    "ml_segment_centroids",
    "ml_segment_pca",
    "int_customer_segment_scores",
)
TRUE_SEGMENTS = 6


def model_meta(name: str) -> dict:
    """config.meta of a Python model, as its YAML states it."""
    spec = yaml.safe_load(
        (PROJECT_DIR / "python_models" / "fits" / "segmentation" / f"{name}.yml").read_text()
    )
    return spec["models"][0]["config"]["meta"]


def feature_names(count: int) -> list[str]:
    return [f"feature_{index:02d}" for index in range(1, count + 1)]


def generate(path: Path, customers: int, features: int) -> None:
    """Customers in TRUE_SEGMENTS Gaussian segments of unequal size (unit variance,
    centers drawn uniformly in [-3, 3] per feature)."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(20261123)
    centers = rng.uniform(-3, 3, size=(TRUE_SEGMENTS, features))
    weights = np.linspace(1, 2, TRUE_SEGMENTS)
    segment = rng.choice(TRUE_SEGMENTS, customers, p=weights / weights.sum())
    values = np.round(centers[segment] + rng.normal(size=(customers, features)), 4)
    columns = {
        "customer_id": pa.array([f"C{index:08d}" for index in range(customers)]),
        "gender": pa.array(np.where(rng.random(customers) < 0.5, "F", "M")),
    }
    columns.update(
        {name: pa.array(values[:, index]) for index, name in enumerate(feature_names(features))}
    )
    frame = pa.table(columns)
    with duckdb.connect() as connection:
        connection.register("frame", frame)
        connection.execute(f"copy frame to '{path}' (format parquet)")


class Dbt:
    """The project in files mode on the synthetic Parquet file, in a scratch directory."""

    def __init__(self, inputs: Path, work: Path, features: int) -> None:
        self.work = work
        self.variables = {
            "input_source": "files",
            "input_files": {"customers": str(inputs / "customers.parquet")},
            "optional_inputs": [],
            "as_of_date": "2026-01-01",
            "customer_profile_columns": feature_names(features),
            "protected_attributes": ["gender"],
            # every round fits: in the default score mode a registered model is reused
            "segment_mode": "retrain",
        }
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
            "SEGMENTATION_DUCKDB_PATH": str(work / "dbt.duckdb"),
            # one dbt thread: models run one after another, so their times add up to wall
            # time (DuckDB and scikit-learn still use every core inside each model)
            "SEGMENTATION_THREADS": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def command(self, *args: str) -> list[str]:
        return [
            str(Path(sys.executable).with_name("dbt")),
            *args,
            "--vars",
            json.dumps(self.variables),
            "--target-path",
            str(self.work / "target"),
            "--log-path",
            str(self.work / "logs"),
        ]

    def setup(self) -> None:
        """The feature layer, once and not timed."""
        command = self.command("run", "--select", "+int_segmentation_population")
        subprocess.run(command, env=self.env, check=True, capture_output=True, cwd=PROJECT_DIR)

    def run(self) -> dict[str, float]:
        wall, rss, _ = measured(self.command("run", "--select", *MODELS), self.env)
        results = json.loads((self.work / "target" / "run_results.json").read_text())["results"]
        times = {result["unique_id"].split(".")[-1]: result["execution_time"] for result in results}
        return {**times, "wall": wall, "rss": rss}

    @property
    def database(self) -> Path:
        """The workspace dbt builds in (the models this benchmark reads)."""
        return self.work / "dbt.workspace.duckdb"


def floor_stages(
    X: np.ndarray, selection: dict, fit: dict, chosen_k: int, centroids: pd.DataFrame
) -> dict[str, float]:
    """Seconds of each plain floor on the standardized rows ``X``."""
    import numpy as np
    from sklearn.cluster import KMeans

    from customer_segmentation.frames import sample_rows

    timings = {}
    sample = X[sample_rows(len(X), selection["max_fit_rows"], selection["random_state"])]
    started = time.perf_counter()
    for k in range(selection["k_min"], selection["k_max"] + 1):
        KMeans(k, n_init=selection["n_init"], random_state=selection["random_state"]).fit(sample)
    timings["selection"] = time.perf_counter() - started

    # the same fits plus the stability refits the rule needs (same subsamples and seeds):
    # what K selection costs with no overhead of ours, for the reading of the ratio
    started = time.perf_counter()
    for k in range(selection["k_min"], selection["k_max"] + 1):
        KMeans(k, n_init=selection["n_init"], random_state=selection["random_state"]).fit(sample)
        rng = np.random.default_rng(selection["random_state"])
        size = int(selection["stability_sample_fraction"] * len(sample))
        size = min(len(sample), max(min(size, selection["stability_max_rows"]), k + 1))
        for run in range(selection["stability_runs"]):
            rows = np.sort(rng.choice(len(sample), size, replace=False))
            seed = selection["random_state"] + run + 1
            KMeans(k, n_init=selection["n_init"], random_state=seed).fit(sample[rows])
    timings["selection_with_refits"] = time.perf_counter() - started

    sample = X[sample_rows(len(X), fit["max_fit_rows"], fit["random_state"])]
    started = time.perf_counter()
    KMeans(chosen_k, n_init=fit["n_init"], random_state=fit["random_state"]).fit(sample)
    timings["final_fit"] = time.perf_counter() - started

    matrix = (
        centroids.pivot(index="segment_id", columns="feature_position", values="centroid_scaled")
        .sort_index()
        .to_numpy()
    )
    started = time.perf_counter()
    squared = (X**2).sum(axis=1)[:, None] - 2 * X @ matrix.T + (matrix**2).sum(axis=1)
    order = np.argsort(squared, axis=1)[:, :2]
    nearest = np.sqrt(np.maximum(np.take_along_axis(squared, order, axis=1), 0))
    1 - nearest[:, 0] / np.where(nearest[:, 1] > 0, nearest[:, 1], np.nan)  # confidence
    timings["scoring"] = time.perf_counter() - started
    return timings


def floor(database: str) -> None:
    """The standalone floors on the tables dbt left (prints one JSON object)."""
    import duckdb
    import numpy as np
    import pandas  # noqa: F401  (dbt has it loaded before any model imports scikit-learn)
    from threadpoolctl import threadpool_limits

    # what the first fitting model of a dbt process pays once (the floors below do not)
    started = time.perf_counter()
    import sklearn.cluster  # noqa: F401

    import_seconds = time.perf_counter() - started

    with duckdb.connect(database, read_only=True) as connection:
        features = connection.sql("select * from int_customer_features order by customer_id")
        params = connection.sql(
            "select * from ml_segment_preprocessing where not is_dropped order by feature_position"
        ).df()
        chosen_k = connection.sql(
            "select k from ml_segment_model_selection where is_chosen"
        ).fetchall()[0][0]
        centroids = connection.sql(
            "select segment_id, feature_position, centroid_scaled from ml_segment_centroids"
        ).df()
        raw = features.select(*params["feature_name"]).fetchnumpy()
    columns = []
    for row in params.itertuples():  # impute, transform, standardize: plain numpy
        # a column with nulls comes back as a masked array: nulls become NaN, then imputed
        values = np.ma.filled(raw[row.feature_name].astype("float64"), np.nan)
        values = np.nan_to_num(values, nan=row.impute_value)
        if row.transform == "log1p":
            values = np.sign(values) * np.log1p(np.abs(values))
        columns.append((values - row.mean) / row.std_dev)
    X = np.column_stack(columns)

    selection = {**model_meta("ml_segment_model_selection")["k_selection"]}
    fit = model_meta("ml_segment_centroids")["fit"]
    timings = {}

    # each floor with scikit-learn's and numpy's default threads and with one thread:
    # the faster of the two is the floor (on a busy machine OpenMP can be far slower)
    for threads in (None, 1):
        with threadpool_limits(limits=threads):
            for key, seconds in floor_stages(X, selection, fit, chosen_k, centroids).items():
                timings[key] = min(timings.get(key, float("inf")), seconds)
                timings[f"{key}_threads_{threads or 'default'}"] = seconds
    timings["import_sklearn"] = import_seconds
    timings.update(scoring_with_io(database, params, centroids))
    timings["chosen_k"] = int(chosen_k)
    print(json.dumps(timings))


def scoring_with_io(database: str, params: pd.DataFrame, centroids: pd.DataFrame) -> dict:
    """Two readings of what the SQL scoring model does beyond the numpy floor, both with
    DuckDB's default threads and in scratch files beside the dbt database:

    scoring_write  copying the model's result (int_customer_segment_scores, 1M rows) into
                   a new DuckDB file: the cost of storing the table alone;
    scoring_io     the model's whole job in numpy: read the raw features from the database,
                   impute, transform, standardize, place on the map, nearest and
                   second-nearest centroid and confidence, write the result table.
    """
    import duckdb
    import numpy as np
    import pyarrow as pa

    timings = {}
    scratch = Path(database).with_name("floor_scratch.duckdb")
    scratch.unlink(missing_ok=True)
    with duckdb.connect(str(scratch)) as connection:
        connection.execute(f"attach '{database}' as dbt (read_only)")
        started = time.perf_counter()
        connection.execute(
            "create table copied as select * from dbt.main.int_customer_segment_scores"
        )
        connection.execute("checkpoint")
        timings["scoring_write"] = time.perf_counter() - started
        loadings = connection.sql(
            "select component, feature_name, center, loading from dbt.main.ml_segment_pca"
        ).df()

        started = time.perf_counter()
        names = params["feature_name"].tolist()
        raw = connection.sql(
            f"select customer_id, {', '.join(names)} from dbt.main.int_customer_features"
        ).to_arrow_table()
        columns = []
        for row in params.itertuples():
            values = raw[row.feature_name].to_numpy().astype("float64")
            values = np.nan_to_num(values, nan=row.impute_value)
            if row.transform == "log1p":
                values = np.sign(values) * np.log1p(np.abs(values))
            columns.append((values - row.mean) / row.std_dev)
        X = np.column_stack(columns)
        axes = loadings.pivot(index="component", columns="feature_name", values="loading")[names]
        center = loadings.loc[loadings.component == 1].set_index("feature_name").center[names]
        placed = (X - center.to_numpy()) @ axes.to_numpy().T
        matrix = centroids.pivot(
            index="segment_id", columns="feature_position", values="centroid_scaled"
        ).sort_index()
        squared = (X**2).sum(axis=1)[:, None] - 2 * X @ matrix.to_numpy().T
        squared += (matrix.to_numpy() ** 2).sum(axis=1)
        order = np.argsort(squared, axis=1)[:, :2]
        nearest = np.sqrt(np.maximum(np.take_along_axis(squared, order, axis=1), 0))
        result = pa.table(
            {
                "customer_id": raw["customer_id"],
                "segment_id": matrix.index.to_numpy()[order[:, 0]],
                "distance": nearest[:, 0],
                "second_segment_id": matrix.index.to_numpy()[order[:, 1]],
                "second_distance": nearest[:, 1],
                "confidence": 1
                - nearest[:, 0] / np.where(nearest[:, 1] > 0, nearest[:, 1], np.nan),
                "pca_x": placed[:, 0],
                "pca_y": placed[:, 1],
            }
        )
        connection.register("result", result)
        connection.execute("create table scored as select * from result")
        connection.execute("checkpoint")
        timings["scoring_io"] = time.perf_counter() - started
    scratch.unlink(missing_ok=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", help="keep inputs and the DuckDB file here")
    parser.add_argument("--floor", help=argparse.SUPPRESS)  # internal: the floor process
    arguments = parser.parse_args()
    if arguments.floor:
        floor(arguments.floor)
        return

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(arguments.work_dir or scratch)
        inputs, work = root / "input", root / "work"
        inputs.mkdir(parents=True, exist_ok=True)
        work.mkdir(exist_ok=True)
        for name in ("dbt.duckdb", "dbt.workspace.duckdb"):  # published and workspace
            (work / name).unlink(missing_ok=True)
        generate(inputs / "customers.parquet", arguments.customers, arguments.features)
        dbt = Dbt(inputs, work, arguments.features)
        dbt.setup()
        dbt_runs, floor_runs = [], []
        for _ in range(arguments.repeats):  # alternate the two sides
            dbt_runs.append(dbt.run())
            command = [sys.executable, str(Path(__file__).resolve()), "--floor", str(dbt.database)]
            _, rss, output = measured(command, dbt.env)
            floor_runs.append({**json.loads(output.strip().splitlines()[-1]), "rss": rss})

    def median(runs: list[dict], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(
        f"{arguments.customers:,} customers x {arguments.features} features, "
        f"chosen k = {floor_runs[-1]['chosen_k']}, medians of {arguments.repeats} alternating "
        f"rounds; dbt peak {max(r['rss'] for r in dbt_runs):.0f} MiB, floor peak "
        f"{max(r['rss'] for r in floor_runs):.0f} MiB"
    )
    print()
    print("| stage | dbt model | model s | floor | floor s | model / floor |")
    print("|---|---|---|---|---|---|")
    # K selection pays the one-time scikit-learn import of the dbt process, which the
    # floor process pays before its timers start: the same round's import subtracted
    selection = "ml_segment_model_selection"
    net = f"{selection} less the import"
    for ours, theirs in zip(dbt_runs, floor_runs, strict=True):
        ours[net] = ours[selection] - theirs["import_sklearn"]
        # what no implementation of the stage as specified avoids, added to the floor:
        # the stability refits and the import a fitting process pays once; storing the
        # scored rows as a table
        theirs["refits_and_import"] = theirs["selection_with_refits"] + theirs["import_sklearn"]
        theirs["scoring_and_write"] = theirs["scoring"] + theirs["scoring_write"]
    stages = [
        ("K selection", selection, "KMeans fits over the k range", "selection"),
        ("K selection", net, "KMeans fits over the k range", "selection"),
        ("K selection", selection, "the same fits + the stability refits", "selection_with_refits"),
        (
            "K selection",
            selection,
            "the same fits + the stability refits + the one-time import",
            "refits_and_import",
        ),
        ("final fit", "ml_segment_centroids", "one KMeans at the chosen k", "final_fit"),
        ("SQL scoring", "int_customer_segment_scores", "numpy nearest centroid", "scoring"),
        (
            "SQL scoring",
            "int_customer_segment_scores",
            "numpy nearest centroid + storing the scored table",
            "scoring_and_write",
        ),
        (
            "SQL scoring",
            "int_customer_segment_scores",
            "the same job in numpy, reading and writing DuckDB",
            "scoring_io",
        ),
    ]
    for stage, model, floor_name, key in stages:
        ours, theirs = median(dbt_runs, model), median(floor_runs, key)
        print(
            f"| {stage} | {model} | {ours:.2f} | {floor_name} | {theirs:.3f} "
            f"| {ours / theirs:.2f} |"
        )
    models = sum(median(dbt_runs, model) for model in MODELS)
    print(
        f"| preprocessing | ml_segment_preprocessing | "
        f"{median(dbt_runs, 'ml_segment_preprocessing'):.2f} | | | |"
    )
    print(f"| **layer** | the segmentation models (sum) | {models:.2f} | | | |")
    print(f"| **layer wall** | `dbt run` process | {median(dbt_runs, 'wall'):.2f} | | | |")
    print()
    print(
        f"import of scikit-learn in a fresh process (paid once per dbt process, by "
        f"ml_segment_model_selection, the first model that needs it): "
        f"{median(floor_runs, 'import_sklearn'):.2f} s; writing "
        f"the scored table (1M rows) into a new DuckDB file: "
        f"{median(floor_runs, 'scoring_write'):.2f} s"
    )
    keys = ("selection", "selection_with_refits", "final_fit", "scoring")
    for threads in ("default", 1):
        seconds = ", ".join(
            f"{key} {median(floor_runs, f'{key}_threads_{threads}'):.2f}" for key in keys
        )
        print(f"floor s with {threads} threads: {seconds}")


if __name__ == "__main__":
    main()
