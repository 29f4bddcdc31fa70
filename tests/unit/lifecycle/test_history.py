"""What a refit reads of the registry and the scoring history about the previous version."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_segmentation.lifecycle.history import previous_version_state

from .centroids import centroid_rows


@pytest.fixture
def state() -> tuple[duckdb.DuckDBPyConnection, SimpleNamespace]:
    """An in-memory database with a registry of versions v1 (centroids c1) and v2 (c2),
    and the snapshot's history: v1 scored a, b, c (c later deleted), v2 scored a and b."""
    connection = duckdb.connect()
    connection.execute(
        """
        create table segment_model_registry as
            select * from (values ('v1', 'c1'), ('v2', 'c2'))
                as t(model_version, centroids_fingerprint);
        create table segment_model_registry_centroids as
            select * from (values ('v1', 1), ('v1', 2), ('v2', 1), ('v2', 5))
                as t(model_version, segment_id);
        create table customer_segments_snapshot as
            select * from (values
                ('a', 1, 'v1', timestamp '2026-01-01', 'False'),
                ('b', 2, 'v1', timestamp '2026-01-01', 'False'),
                ('b', 1, 'v1', timestamp '2026-01-02', 'False'),
                ('c', 2, 'v1', timestamp '2026-01-01', 'False'),
                ('c', 2, 'v1', timestamp '2026-01-03', 'True'),
                ('a', 5, 'v2', timestamp '2026-02-01', 'False'),
                ('b', 5, 'v2', timestamp '2026-02-01', 'False')
            ) as t(customer_id, segment_id, model_version, dbt_valid_from, dbt_is_deleted);
        """
    )
    return connection, SimpleNamespace(database="memory", schema="main")


def test_members_are_counted_against_the_previous_versions_last_scoring(state) -> None:
    connection, this = state
    previous = centroid_rows({1: (0, 0), 2: (1, 1)}, "c1")
    ids, labels = pd.Series(["a", "b", "c", "d"]), np.array([1, 1, 2, 2])
    counts, highest = previous_version_state(connection, this, previous, ids, labels)
    assert highest == 5
    # b's last v1 segment is 1; c was last scored in segment 2 before it was deleted;
    # d was never scored
    got = counts.sort_values(["fitted_segment_id", "previous_segment_id"])
    assert got.to_dict("list") == {
        "fitted_segment_id": [1, 2],
        "previous_segment_id": [1, 2],
        "customers": [2, 1],
    }


def test_without_a_scoring_of_the_previous_version_members_are_unknown(state) -> None:
    connection, this = state
    ids, labels = pd.Series(["a"]), np.array([1])
    unregistered = centroid_rows({1: (0, 0)}, "c9")
    assert previous_version_state(connection, this, unregistered, ids, labels) == (None, 5)
    assert previous_version_state(connection, this, None, ids, labels) == (None, None)
    # scored, but none of these customers: no rows (nothing confirms a match)
    counts, _ = previous_version_state(
        connection, this, centroid_rows({1: (0, 0)}, "c2"), pd.Series(["z"]), labels
    )
    assert counts is not None and counts.empty
    connection.execute("drop table customer_segments_snapshot")
    assert previous_version_state(connection, this, unregistered, ids, labels)[0] is None
    connection.execute("drop table segment_model_registry")
    assert previous_version_state(connection, this, unregistered, ids, labels) == (None, 5)
    connection.execute("drop table segment_model_registry_centroids")
    assert previous_version_state(connection, this, unregistered, ids, labels) == (None, None)


def test_members_are_counted_without_the_registered_centroids(state) -> None:
    """A build that selects the registry but not its centroid table: members still count."""
    connection, this = state
    connection.execute("drop table segment_model_registry_centroids")
    previous = centroid_rows({1: (0, 0), 2: (1, 1)}, "c1")
    counts, highest = previous_version_state(
        connection, this, previous, pd.Series(["a"]), np.array([1])
    )
    assert highest is None and counts["customers"].tolist() == [1]


def test_the_registry_is_read_from_the_marts_schema(state) -> None:
    connection, this = state
    connection.execute("create schema marts")
    for table in ("segment_model_registry", "segment_model_registry_centroids"):
        connection.execute(f"create table marts.{table} as select * from main.{table}")
        connection.execute(f"drop table main.{table}")
    ids, labels = pd.Series(["a", "b"]), np.array([1, 1])
    previous = centroid_rows({1: (0, 0), 2: (1, 1)}, "c1")
    # read from the target schema, the registry is not found: the figures are unknown
    assert previous_version_state(connection, this, previous, ids, labels) == (None, None)
    counts, highest = previous_version_state(
        connection, this, previous, ids, labels, registry_schema="marts"
    )
    assert highest == 5
    assert counts["customers"].sum() == 2


def test_another_session_is_refused_by_name(state) -> None:
    _, this = state
    previous = pd.DataFrame({"fit_fingerprint": ["c1"]})
    with pytest.raises(NotImplementedError, match=r"not a builtins\.object: refit on DuckDB"):
        previous_version_state(object(), this, previous, pd.Series(["a"]), np.array([1]))
