"""frames on every backend dbt hands a Python model: the same data read from a DuckDB
relation, a real local Spark DataFrame and a pandas frame gives the same pandas frame
(rows, order, dtypes), sampled or not; read_previous on DuckDB and Spark."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_segmentation.frames import (
    column_types,
    columns_of,
    fetch_rows,
    read_frame,
    read_previous,
    row_count,
    sample_rows,
    training_frame,
)

ROWS = 400


def customers() -> pd.DataFrame:
    """Shuffled customers: string ids, doubles with nulls, integers, a nullable flag."""
    rng = np.random.default_rng(11)
    return pd.DataFrame(
        {
            "customer_id": [f"C{index:04d}" for index in rng.permutation(ROWS)],
            "spend": np.where(rng.random(ROWS) < 0.1, np.nan, rng.normal(size=ROWS)),
            "visits": rng.integers(0, 9, ROWS).astype("int64"),
            "is_training": pd.array(
                np.where(rng.random(ROWS) < 0.1, None, rng.random(ROWS) < 0.6), dtype="boolean"
            ),
        }
    )


@pytest.fixture(scope="module")
def connection():
    with duckdb.connect() as connection:
        yield connection


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark", reason="pyspark is not installed: make install-spark")
    from pyspark.sql import SparkSession

    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("test_frames_backends")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module", params=["duckdb", "spark", "pandas"])
def backend(request, connection) -> tuple[str, object]:
    """The rows of ``customers()`` as one backend's frame (Spark's over three partitions)."""
    frame = customers()
    if request.param == "duckdb":
        return "duckdb", connection.from_df(frame)
    if request.param == "pandas":
        return "pandas", frame
    spark = request.getfixturevalue("spark")
    rows = frame.astype({"is_training": object}).replace({pd.NA: None})
    schema = "customer_id string, spend double, visits bigint, is_training boolean"
    return "spark", spark.createDataFrame(rows, schema).repartition(3)


def expected_rows(arguments: dict) -> pd.DataFrame:
    """What fetch_rows must give, computed here from the pandas frame."""
    expected = customers().sort_values("customer_id", ignore_index=True)
    if "where" in arguments:
        expected = expected[expected["is_training"].fillna(False)].reset_index(drop=True)
        expected["is_training"] = expected["is_training"].astype(bool)  # no null left
    if "max_fit_rows" in arguments:
        seed = arguments.get("random_state", 42)
        positions = sample_rows(len(expected), arguments["max_fit_rows"], seed)
        assert len(positions) == arguments["max_fit_rows"] < len(expected)
        expected = expected.iloc[positions].reset_index(drop=True)
    return expected.astype({"customer_id": "str"})


CASES = [
    pytest.param({}, id="every-row"),
    pytest.param({"max_fit_rows": 150, "random_state": 3}, id="sampled"),
    pytest.param({"where": "is_training"}, id="training-rows"),
    pytest.param({"where": "is_training", "max_fit_rows": 100}, id="sampled-training-rows"),
]


@pytest.mark.parametrize("arguments", CASES)
def test_every_backend_gives_the_same_frame(backend, arguments) -> None:
    kind, frame = backend
    columns = ["customer_id", "spend", "visits", "is_training"]
    rows = fetch_rows(frame, columns, **arguments)
    pd.testing.assert_frame_equal(rows, expected_rows(arguments), check_exact=True, obj=kind)
    assert rows.dtypes.astype(str).tolist()[:3] == ["str", "float64", "int64"], kind


def test_only_the_asked_columns_come_back_in_key_order(backend) -> None:
    kind, frame = backend
    rows = fetch_rows(frame, ["visits", "spend"], max_fit_rows=50)
    expected = expected_rows({"max_fit_rows": 50})[["visits", "spend"]]
    pd.testing.assert_frame_equal(rows, expected, check_exact=True, obj=kind)


def test_schema_count_and_small_tables(backend) -> None:
    kind, frame = backend
    assert columns_of(frame) == ["customer_id", "spend", "visits", "is_training"], kind
    assert [name for name, _ in column_types(frame)] == columns_of(frame), kind
    assert row_count(frame) == ROWS, kind
    assert len(read_frame(frame)) == ROWS, kind
    served = read_frame(frame, ["customer_id", "is_training"], where="is_training", limit=5)
    assert served.columns.tolist() == ["customer_id", "is_training"], kind
    assert len(served) == 5 and served["is_training"].astype(bool).all(), kind
    training_ids = set(expected_rows({"where": "is_training"})["customer_id"])
    ids = read_frame(frame, ["customer_id"], where="is_training")["customer_id"]
    assert set(ids) == training_ids and len(ids) == len(training_ids), kind
    training = training_frame(frame, ["spend"])
    expected = expected_rows({})[["customer_id", "spend"]]
    pd.testing.assert_frame_equal(training, expected, check_exact=True, obj=kind)


def test_a_missing_column_is_named(backend) -> None:
    _, frame = backend
    with pytest.raises(ValueError, match=r"columns \['balance'\] are not in the relation"):
        fetch_rows(frame, ["spend", "balance"])


def test_an_unknown_frame_is_named() -> None:
    with pytest.raises(TypeError, match=r"cannot read a builtins\.dict"):
        fetch_rows({"customer_id": []}, ["customer_id"])
    with pytest.raises(TypeError, match="expected a DuckDB connection or a SparkSession"):
        read_previous(object(), "ml_step")


def test_read_previous_on_duckdb(connection) -> None:
    from dbt.adapters.duckdb.environments.local import DuckDBCursorWrapper

    this = '"memory"."main"."ml_step"'
    # dbt-duckdb passes a Python model its cursor, wrapped
    for session in (connection, DuckDBCursorWrapper(connection.cursor())):
        assert read_previous(session, this) is None
    connection.execute("create table ml_step as select 'v1' as fit_fingerprint, 2 as k")
    expected = pd.DataFrame({"fit_fingerprint": ["v1"], "k": np.array([2], dtype="int32")})
    for session in (connection, DuckDBCursorWrapper(connection.cursor())):
        pd.testing.assert_frame_equal(read_previous(session, this), expected)


def test_read_previous_on_spark(spark) -> None:
    this = "`default`.`ml_step`"
    assert read_previous(spark, this) is None
    table = spark.createDataFrame([("v1", 2)], "fit_fingerprint string, k int")
    table.write.saveAsTable("default.ml_step")
    expected = pd.DataFrame({"fit_fingerprint": ["v1"], "k": np.array([2], dtype="int32")})
    pd.testing.assert_frame_equal(read_previous(spark, this), expected)


def test_spark_samples_before_collecting(spark, monkeypatch) -> None:
    import customer_segmentation.frames as frames

    collected = []
    collect = frames._collect
    monkeypatch.setattr(frames, "_collect", lambda rows: collected.append(rows) or collect(rows))
    rows = fetch_rows(spark.createDataFrame(customers()), ["spend"], max_fit_rows=60)
    assert len(rows) == 60
    assert [frame.count() for frame in collected] == [60]  # only the sample left Spark
