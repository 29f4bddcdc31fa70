"""What a refit reads of the project's state about the version it replaces: the model
registry and the scoring history (``customer_segments_snapshot``).

These tables are built downstream of the fit steps (a ``ref`` would be a cycle), so
they are read as they stood after the last build, like a fit step's own ``dbt.this``:
the snapshot from ml_segment_centroids' schema, the registry from the marts'. A table
that does not exist yet (a first build, or ``dbt run`` without ``dbt snapshot``) means
that figure is unknown.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

REGISTRY = "segment_model_registry"
REGISTRY_CENTROIDS = "segment_model_registry_centroids"
SCORING_HISTORY = "customer_segments_snapshot"


def _relation(this: Any, name: str, schema: str | None = None) -> str:
    parts = (this.database, schema or this.schema, name)
    return ".".join('"' + str(part).replace('"', '""') + '"' for part in parts)


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def previous_version_state(
    session: Any,
    this: Any,
    previous: pd.DataFrame | None,
    customer_ids: pd.Series,
    fitted_labels: np.ndarray,
    registry_schema: str | None = None,
) -> tuple[pd.DataFrame | None, int | None]:
    """What the registry and the scoring history know of the previous version.

    Returns (``members``, ``highest_registered_id``): customers per
    (fitted_segment_id, previous_segment_id) among the fit rows whose last scoring by
    the previous version (any registered version with its centroids) the snapshot
    holds (no rows when none of those customers is among the fit rows), or None when
    there is no such scoring (no snapshot or registry yet, or the version was never
    scored); and the largest segment id of any registered version (None before
    the first registration). Both None on a first fit (``previous`` None).

    Args:
        session: the DuckDB connection of the Python model (other sessions: an error).
        this: ml_segment_centroids' relation (``dbt.this``): the snapshot is read from
            its schema (and database).
        previous: the previous version's centroid table (None on a first fit).
        customer_ids: the fit rows' customer ids, in fit order.
        fitted_labels: their segment under the new fit (fitted ids, 1-based).
        registry_schema: the schema of the registry marts (``marts``); None:
            ``this``'s.
    """
    if previous is None:
        return None, None
    module = type(session).__module__
    if "duckdb" not in module.lstrip("_").split("."):  # _duckdb, or dbt-duckdb's wrapper
        # the history's query is DuckDB SQL (a join with the fit rows, registered from pandas)
        raise NotImplementedError(
            f"a refit of ml_segment_centroids reads the segment registry and scoring history "
            f"with a DuckDB connection, not a {module}.{type(session).__qualname__}: refit "
            "on DuckDB and bring the registered model over"
        )
    import duckdb

    missing = (duckdb.CatalogException, duckdb.BinderException)
    fingerprint = _literal(previous["fit_fingerprint"].iloc[0])
    try:
        highest = session.sql(
            f"select max(segment_id) from {_relation(this, REGISTRY_CENTROIDS, registry_schema)}"
        ).fetchall()[0][0]
    except missing:
        highest = None
    highest = None if highest is None else int(highest)
    try:
        versions = session.sql(
            f"select model_version from {_relation(this, REGISTRY, registry_schema)} "
            f"where centroids_fingerprint = {fingerprint}"
        ).fetchall()
    except missing:
        return None, highest
    if not versions:
        return None, highest
    listed = ", ".join(_literal(row[0]) for row in versions)
    fit_rows = pd.DataFrame(
        {
            "customer_id": customer_ids.astype(str).to_numpy(),
            "fitted_segment_id": np.asarray(fitted_labels, dtype="int64"),
        }
    )
    history = _relation(this, SCORING_HISTORY)
    try:
        members = (
            session.from_df(fit_rows)
            .query(
                "fit_rows",
                f"""
                with previous_scoring as (
                    select customer_id, segment_id
                    from {history}
                    where model_version in ({listed})
                        and coalesce(cast(dbt_is_deleted as varchar), 'False') <> 'True'
                    qualify row_number() over (
                        partition by customer_id order by dbt_valid_from desc
                    ) = 1
                )
                select
                    fit_rows.fitted_segment_id,
                    previous_scoring.segment_id as previous_segment_id,
                    count(*) as customers
                from fit_rows
                inner join previous_scoring
                    on fit_rows.customer_id = cast(previous_scoring.customer_id as varchar)
                group by all
                """,
            )
            .df()
        )
        scored = session.sql(
            f"select count(*) from {history} where model_version in ({listed})"
        ).fetchall()[0][0]
    except missing:
        return None, highest
    # scored, but none of those customers is among the fit rows: nothing confirms
    return (members if scored else None), highest
