"""Tables from the warehouse into Python: the one place that knows what ``dbt.ref`` returns.

dbt-duckdb hands a Python model a DuckDB relation; dbt on Databricks (and BigQuery's
Dataproc path) a PySpark DataFrame, classic or Spark Connect; dbt-snowflake a Snowpark
DataFrame; BigQuery's BigFrames path, once collected, pandas. Every Python model and
library function reads through ``fetch_rows`` (the columns and sample rows a fit needs,
in key order), ``read_frame`` (a small table whole), ``columns_of``, ``column_types``,
``row_count`` and ``read_previous``. Converting a whole table to pandas makes every
customer id a Python string, which at scale costs more than the fits, so ``fetch_rows``
selects, orders and samples in the engine and converts through Arrow: the same frame
(rows, order, dtypes) from every backend. PySpark and Snowpark are optional: they are
recognised by their module names and imported only to read one of their frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# the column that numbers the key-ordered rows in Spark and Snowflake (upper case: a
# Snowpark name is upper case unless quoted)
_POSITION = "FETCH_ROWS_POSITION"


def sample_rows(n_rows: int, max_rows: int, random_state: int) -> np.ndarray:
    """Sorted row positions of a fixed-seed sample (all rows when small enough): the
    rows every segmentation fit, and ``fetch_rows`` for it, takes above ``max_rows``."""
    if n_rows <= max_rows:
        return np.arange(n_rows)
    return np.sort(np.random.default_rng(random_state).choice(n_rows, max_rows, replace=False))


def _kind(relation: Any) -> str:
    """``duckdb``, ``spark``, ``snowpark`` or ``pandas``; a clear error for anything else."""
    if isinstance(relation, pd.DataFrame):
        return "pandas"
    module = type(relation).__module__
    if module.lstrip("_").startswith("duckdb") and hasattr(relation, "to_arrow_table"):
        return "duckdb"
    if module.startswith("pyspark.sql") and hasattr(relation, "sparkSession"):
        return "spark"
    if module.startswith("snowflake.snowpark") and hasattr(relation, "to_pandas"):
        return "snowpark"
    raise TypeError(
        f"cannot read a {module}.{type(relation).__qualname__}: expected what dbt.ref "
        "returns, a DuckDB relation, a PySpark or Snowpark DataFrame, or a pandas DataFrame"
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns_of(relation: Any) -> list[str]:
    """The column names of ``relation``, in order."""
    _kind(relation)
    return [str(name) for name in relation.columns]


def column_types(relation: Any) -> list[tuple[str, str]]:
    """(column, type) pairs, the type as the backend names it (DuckDB: ``DOUBLE``)."""
    kind = _kind(relation)
    if kind == "duckdb":
        types = relation.types
        return [(name, str(type_)) for name, type_ in zip(relation.columns, types, strict=True)]
    if kind == "pandas":
        return [(str(name), str(dtype)) for name, dtype in relation.dtypes.items()]
    if kind == "spark":
        return [(name, type_) for name, type_ in relation.dtypes]
    return [(field.name, str(field.datatype)) for field in relation.schema.fields]


def row_count(relation: Any) -> int:
    """How many rows ``relation`` has, counted in the engine."""
    kind = _kind(relation)
    if kind == "duckdb":
        return int(relation.aggregate("count(*)").fetchall()[0][0])
    return int(len(relation) if kind == "pandas" else relation.count())


def _check_columns(relation: Any, names: Sequence[str]) -> None:
    available = columns_of(relation)
    missing = [name for name in names if name not in available]
    if missing:
        raise ValueError(f"columns {missing} are not in the relation; available: {available}")


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as pandas, numbers as float64 where Arrow would give objects
    (decimals) and nullable booleans as ``boolean``, as DuckDB's ``.df()`` gives them."""
    for index, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(index, field.name, pc.cast(table[index], pa.float64()))
    frame = table.to_pandas()
    for field in table.schema:
        if pa.types.is_boolean(field.type) and frame[field.name].dtype == object:
            frame[field.name] = frame[field.name].astype("boolean")
    return frame


def _collect(frame: Any) -> pa.Table:
    """A Spark or Snowpark DataFrame, already reduced to the rows wanted, as Arrow."""
    if hasattr(frame, "toArrow"):  # PySpark 4 (classic and Connect)
        return frame.toArrow()
    if hasattr(frame, "to_arrow"):  # Snowpark
        return frame.to_arrow()
    pandas = frame.toPandas() if hasattr(frame, "toPandas") else frame.to_pandas()
    return pa.Table.from_pandas(pandas, preserve_index=False).replace_schema_metadata()


def _engine_rows(
    frame: Any,
    kind: str,
    columns: list[str],
    order_by: str,
    where: str | None,
    max_fit_rows: int | None,
    random_state: int,
) -> pa.Table:
    """Spark or Snowpark: filter, order and sample in the engine, then collect."""
    if kind == "spark":
        from pyspark.sql import Window, functions

        session = frame.sparkSession
    else:
        from snowflake.snowpark import Window, functions

        session = frame.session
    if where is not None:
        frame = frame.filter(functions.col(where))
    n_rows = frame.count() if max_fit_rows is not None else 0
    if max_fit_rows is None or n_rows <= max_fit_rows:
        return _collect(frame.orderBy(order_by).select(*columns))
    positions = sample_rows(n_rows, max_fit_rows, random_state)
    # number the key-ordered rows (one window over all rows, as the sample is drawn over
    # all of them) and keep the sampled positions: only those rows reach the driver
    numbered = frame.select(*dict.fromkeys([order_by, *columns])).withColumn(
        _POSITION, functions.row_number().over(Window.orderBy(functions.col(order_by))) - 1
    )
    kept = session.createDataFrame(pd.DataFrame({_POSITION: positions.astype("int64")}))
    rows = numbered.join(kept, on=_POSITION, how="inner").orderBy(_POSITION)
    return _collect(rows.select(*columns))


def fetch_rows(
    relation: Any,
    columns: Sequence[str] | None = None,
    *,
    order_by: str = "customer_id",
    max_fit_rows: int | None = None,
    random_state: int = 42,
    where: str | None = None,
) -> pd.DataFrame:
    """``columns`` of every row of ``relation`` ordered by ``order_by``, as pandas.

    With ``max_fit_rows``: only the rows of the fixed-seed sample that
    ``sample_rows(n, max_fit_rows, random_state)`` draws from the ordered rows,
    in order, so a fit on the result equals a fit that samples the full frame itself
    (``select_k`` and ``fit_segments`` draw the same positions). Every row when the
    relation has at most ``max_fit_rows`` rows. Spark and Snowflake sample before
    collecting; DuckDB, in process, after its Arrow conversion, before pandas.

    Args:
        relation: what ``dbt.ref(...)`` returns (``_kind``).
        columns: the columns to return, in this order (None: every column).
        order_by: a unique key that fixes the row order (returned only when asked for).
        max_fit_rows: sample size cap (None: every row).
        random_state: seed of the sample (the fits' default, 42, when not given).
        where: a boolean column: only its true rows, before any sample.
    """
    kind = _kind(relation)
    columns = columns_of(relation) if columns is None else list(columns)
    needed = list(dict.fromkeys([*columns, order_by, *([where] if where else [])]))
    _check_columns(relation, needed)
    if kind in ("spark", "snowpark"):
        arguments = (order_by, where, max_fit_rows, random_state)
        return _to_pandas(_engine_rows(relation, kind, columns, *arguments))
    if kind == "duckdb":
        if where is not None:
            relation = relation.filter(_quoted(where))
        selected = ", ".join(_quoted(name) for name in columns)
        table = relation.query(
            "feature_rows", f"select {selected} from feature_rows order by {_quoted(order_by)}"
        ).to_arrow_table()
    else:  # pandas: the same Arrow table (without pandas' dtypes), ordered and filtered here
        table = pa.Table.from_pandas(relation[needed], preserve_index=False)
        table = table.replace_schema_metadata()
        if where is not None:
            table = table.filter(pc.fill_null(table[where], False))
        table = table.sort_by(order_by).select(columns)
    if max_fit_rows is not None and table.num_rows > max_fit_rows:
        table = table.take(sample_rows(table.num_rows, max_fit_rows, random_state))
    return _to_pandas(table)


def read_frame(
    relation: Any,
    columns: Sequence[str] | None = None,
    *,
    where: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """A small table (a model's parameters, one campaign) whole as pandas, in the
    engine's order: ``columns`` (None: all), only the true rows of the boolean column
    ``where``, at most ``limit`` rows. DuckDB converts with ``.df()``, as it always did,
    so the tables a model returns unchanged keep their column types."""
    kind = _kind(relation)
    _check_columns(relation, [*(columns or []), *([where] if where else [])])
    if kind == "pandas":
        frame = relation
        if where is not None:
            frame = frame[frame[where].fillna(False).astype(bool)]
        frame = frame if columns is None else frame[list(columns)]
        return (frame if limit is None else frame.head(limit)).reset_index(drop=True)
    if kind == "duckdb":
        if where is not None:
            relation = relation.filter(_quoted(where))
        if columns is not None:
            relation = relation.select(*(_quoted(name) for name in columns))
        return (relation if limit is None else relation.limit(limit)).df()
    if where is not None:
        relation = relation.filter(relation[where])
    if columns is not None:
        relation = relation.select(*columns)
    return _to_pandas(_collect(relation if limit is None else relation.limit(limit)))


def read_previous(session: Any, this: Any) -> pd.DataFrame | None:
    """The table ``this`` (a model's own ``dbt.this``) as the last build left it, whole,
    or None when it does not exist (a first build).

    Args:
        session: the ``session`` dbt passes a Python model: a DuckDB connection or a
            SparkSession (classic or Connect).
        this: ``dbt.this``, rendered by ``str`` as the adapter quotes it.
    """
    module = type(session).__module__
    # duckdb's connection (module _duckdb), or dbt-duckdb's wrapper of its cursor
    if "duckdb" in module.lstrip("_").split("."):
        import duckdb

        try:
            return session.sql(f"select * from {this}").df()
        except duckdb.CatalogException:
            return None
    if module.startswith("pyspark.sql"):
        from pyspark.errors import AnalysisException

        try:  # Spark Connect resolves the name only when the rows are asked for
            return read_frame(session.table(str(this)))
        except AnalysisException as error:
            if "TABLE_OR_VIEW_NOT_FOUND" in str(error):
                return None
            raise
    raise TypeError(
        f"cannot read a previous table through a {module}.{type(session).__qualname__}: "
        "expected a DuckDB connection or a SparkSession"
    )


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

    ``fetch_rows`` (Arrow) when every column is DOUBLE, as int_customer_features makes
    them, and on every backend but DuckDB. A DuckDB relation with any other column type
    is read with ``.df()`` (nullable integers as ``Int32``, where Arrow gives float64), so
    its fingerprint, and the model version it identifies, stays that of ``.df()``.
    """
    _check_columns(relation, [*columns, order_by])
    if _kind(relation) == "duckdb":
        types = dict(column_types(relation))
        if any(types[name] != "DOUBLE" for name in columns):
            return read_frame(relation.order(_quoted(order_by)), [order_by, *columns])
    return fetch_rows(relation, [order_by, *columns], order_by=order_by)
