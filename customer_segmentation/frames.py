"""Feature rows from the warehouse into Python: only the columns and rows a fit needs.

dbt-duckdb hands a Python model a DuckDB relation. Converting all of it to pandas
(``.df()``) makes every customer id a Python string, which at scale costs more than the
fits. ``fetch_rows`` asks the database for the numeric columns a step uses, in customer
order, through Arrow, and keeps only the rows of the step's fixed-seed sample before
anything becomes a pandas frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def sample_rows(n_rows: int, max_rows: int, random_state: int) -> np.ndarray:
    """Sorted row positions of a fixed-seed sample (all rows when small enough): the
    rows every segmentation fit, and ``fetch_rows`` for it, takes above ``max_rows``."""
    if n_rows <= max_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(random_state).choice(n_rows, max_rows, replace=False))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fetch_rows(
    relation: Any,
    columns: Sequence[str],
    *,
    order_by: str = "customer_id",
    max_fit_rows: int | None = None,
    random_state: int = 42,
) -> pd.DataFrame:
    """``columns`` of every row of ``relation`` ordered by ``order_by``, as pandas.

    With ``max_fit_rows``: only the rows of the fixed-seed sample that
    ``sample_rows(n, max_fit_rows, random_state)`` draws from the ordered rows,
    in order, so a fit on the result equals a fit that samples the full frame itself
    (``select_k`` and ``fit_segments`` draw the same positions). Every row when the
    relation has at most ``max_fit_rows`` rows.

    Args:
        relation: a DuckDB relation (``dbt.ref(...)`` in a dbt-duckdb Python model).
        columns: the columns to return, in this order.
        order_by: a unique key that fixes the row order (it is not returned).
        max_fit_rows: sample size cap (None: every row).
        random_state: seed of the sample (the fits' default, 42, when not given).
    """
    missing = [name for name in (*columns, order_by) if name not in relation.columns]
    if missing:
        raise ValueError(
            f"columns {missing} are not in the relation; available: {list(relation.columns)}"
        )
    selected = ", ".join(_quoted(name) for name in columns)
    table = relation.query(
        "feature_rows", f"select {selected} from feature_rows order by {_quoted(order_by)}"
    ).to_arrow_table()
    if max_fit_rows is not None and table.num_rows > max_fit_rows:
        table = table.take(sample_rows(table.num_rows, max_fit_rows, random_state))
    return table.to_pandas()


def sample_arguments(settings: dict) -> dict:
    """The ``fetch_rows`` keywords (``max_fit_rows``, ``random_state``) among a fit's
    settings, so that only the rows of the fit's own fixed-seed sample leave the
    database and the fit on them equals the fit on every row."""
    return {key: settings[key] for key in ("max_fit_rows", "random_state") if key in settings}


def training_frame(
    relation: Any, columns: Sequence[str], order_by: str = "customer_id"
) -> pd.DataFrame:
    """``order_by`` and ``columns`` of every row of ``relation``, in ``order_by`` order:
    the training data a fit's fingerprint (``lifecycle.fingerprints.frame_fingerprint``) is
    taken of.

    Through Arrow (``fetch_rows``, faster) when every column is DOUBLE, as
    int_customer_features makes them: the frame is then the one ``.df()`` gives, so is
    the fingerprint. Any other column type (e.g. DECIMAL, which Arrow hands over as
    Python decimals where ``.df()`` gives floats) is read with ``.df()``, so its
    fingerprint, and the model version it identifies, is that of ``.df()`` too.
    """
    missing = [name for name in (*columns, order_by) if name not in relation.columns]
    if missing:
        raise ValueError(
            f"columns {missing} are not in the relation; available: {list(relation.columns)}"
        )
    types = dict(zip(relation.columns, (str(kind) for kind in relation.types), strict=True))
    if all(types[name] == "DOUBLE" for name in columns):
        return fetch_rows(relation, [order_by, *columns], order_by=order_by)
    return (
        relation.order(_quoted(order_by))
        .select(*(_quoted(name) for name in (order_by, *columns)))
        .df()
    )
