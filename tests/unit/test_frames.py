"""fetch_rows: the columns and sample rows a fit needs, straight from a DuckDB relation."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_segmentation.frames import fetch_rows, sample_arguments, sample_rows


@pytest.fixture(scope="module")
def relation() -> duckdb.DuckDBPyRelation:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{index:05d}" for index in rng.permutation(3000)],
            "spend": rng.normal(size=3000),
            "visits": np.where(rng.random(3000) < 0.1, np.nan, rng.integers(0, 9, 3000)),
        }
    )
    connection = duckdb.connect()
    connection.register("frame", frame)
    return connection.table("frame")


def test_rows_come_in_customer_order_with_only_the_asked_columns(relation) -> None:
    expected = relation.df().sort_values("customer_id", ignore_index=True)
    rows = fetch_rows(relation, ["visits", "spend"])
    assert rows.columns.tolist() == ["visits", "spend"]
    pd.testing.assert_frame_equal(rows, expected[["visits", "spend"]])


def test_the_sample_is_the_rows_the_fits_would_draw(relation) -> None:
    everything = fetch_rows(relation, ["spend", "visits"])
    sample = fetch_rows(relation, ["spend", "visits"], max_fit_rows=500, random_state=9)
    expected = everything.iloc[sample_rows(len(everything), 500, 9)].reset_index(drop=True)
    pd.testing.assert_frame_equal(sample, expected)
    # no sample when the relation is small enough
    pd.testing.assert_frame_equal(
        fetch_rows(relation, ["spend"], max_fit_rows=3000), everything[["spend"]]
    )


def test_a_fits_settings_give_the_sample_keywords_only() -> None:
    fit = {"max_fit_rows": 500, "random_state": 9, "n_init": 10, "threads": 1}
    assert sample_arguments(fit) == {"max_fit_rows": 500, "random_state": 9}
    # a setting left out keeps fetch_rows' default, which is the fits' default too
    assert sample_arguments({"n_init": 4}) == {}


def test_a_missing_column_is_named(relation) -> None:
    with pytest.raises(ValueError, match=r"columns \['balance'\] are not in the relation"):
        fetch_rows(relation, ["spend", "balance"])


def test_training_frame_is_the_frame_df_gives() -> None:
    from customer_segmentation.frames import training_frame

    connection = duckdb.connect()
    connection.execute(
        "create table features as select 'C' || lpad(cast(i as varchar), 4, '0') as customer_id,"
        " case when i % 7 = 0 then null else i / 3 end::double as spend,"
        " (i % 5)::double as visits, (i / 8)::decimal(10, 2) as balance"
        " from range(999, -1, -1) as t(i)"
    )
    relation = connection.table("features")
    for columns in (["spend", "visits"], ["balance", "spend"]):  # Arrow; .df() for DECIMAL
        expected = relation.order("customer_id").df()[["customer_id", *columns]]
        pd.testing.assert_frame_equal(training_frame(relation, columns), expected)
    with pytest.raises(ValueError, match="not in the relation"):
        training_frame(relation, ["spend", "income"])
