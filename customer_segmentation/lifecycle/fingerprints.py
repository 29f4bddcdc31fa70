"""Model versions: fingerprints of the training data and of each fit step's configuration.

Every fitted table carries a ``fit_fingerprint``: a hash of the training data and the
step's configuration, chained through the steps it builds on, so the same data and
configuration always give the same model version.

Nothing here imports scikit-learn or dbt.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import numpy as np


def fingerprint(*parts: object) -> str:
    """A 16-hex-digit hash of JSON-serializable parts (configuration, upstream
    fingerprints, data fingerprints), key order and numpy scalars normalized."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# a value this small against the column's largest is the rounding noise of a sum that
# cancels (purchases minus refunds): hashed as 0
NOISE_RELATIVE_TO_COLUMN = 1e-12


def _round_significant(values: np.ndarray, significant_digits: int) -> np.ndarray:
    """Floats rounded to ``significant_digits`` (0, inf and NaN kept), and values below
    ``NOISE_RELATIVE_TO_COLUMN`` times the column's largest finite magnitude set to 0."""
    import numpy as np

    finite = np.abs(values[np.isfinite(values)])
    if len(finite):
        values = np.where(finite.max() * NOISE_RELATIVE_TO_COLUMN > np.abs(values), 0.0, values)
    scalable = np.isfinite(values) & (values != 0)
    exponent = np.zeros_like(values)
    exponent[scalable] = np.floor(np.log10(np.abs(values[scalable])))
    scale = 10.0 ** (significant_digits - 1 - exponent)
    return np.where(scalable, np.round(values * scale) / scale, values)


def _column_hashes(column: pd.Series, significant_digits: int) -> np.ndarray:
    """pandas' 64-bit hash of each value of one column (``pd.util.hash_array``), floats
    rounded first."""
    if pd.api.types.is_float_dtype(column):
        values = _round_significant(column.to_numpy(dtype=float), significant_digits)
        return pd.util.hash_array(values)
    # categorize=False hashes every value itself: the same hashes as the default (which
    # hashes the distinct values, then maps them back) without building that map, which
    # costs more than the hashing for unique keys; nulls hash differently, so a column
    # with nulls keeps the default
    import numpy as np

    # the column's own values, as hash_pandas_object takes them: numpy for numpy dtypes
    values = column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
    return pd.util.hash_array(values, categorize=bool(column.isna().any()))


def frame_fingerprint(frame: pd.DataFrame, significant_digits: int = 6) -> str:
    """Order-independent hash of a data frame's rows and column names (the training data).

    Floats are rounded to ``significant_digits`` first: the warehouse's parallel sums
    differ in the last bits from build to build, which is not a change of the data.

    The value is that of ``pd.util.hash_pandas_object(rounded, index=False)``'s row
    hashes, sorted, with the column names, through SHA-256; computed column by column
    (no copy of the frame, no categorization of unique keys, the row hashes combined in
    place), which is faster and gives the same value (tested).
    """
    import numpy as np

    digest = hashlib.sha256(",".join(frame.columns).encode())
    # pandas' combine_hash_arrays (CPython's tuple hash), in place
    row_hashes = np.full(len(frame), 0x345678, dtype=np.uint64)
    multiplier = np.uint64(1000003)
    count = len(frame.columns)
    for position in range(count):
        row_hashes ^= _column_hashes(frame.iloc[:, position], significant_digits)
        row_hashes *= multiplier
        multiplier += np.uint64(82520 + 2 * (count - position))
    row_hashes += np.uint64(97531)
    row_hashes.sort()
    digest.update(row_hashes.tobytes())
    return digest.hexdigest()[:16]


def with_fingerprint(table: pd.DataFrame, value: str) -> pd.DataFrame:
    """``table`` with a ``fit_fingerprint`` column."""
    return table.assign(fit_fingerprint=value)
