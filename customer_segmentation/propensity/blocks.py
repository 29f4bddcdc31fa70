"""Rows in blocks: wherever every customer passes through several steps, one block of
the feature matrix stays in cache while each step passes over it."""

from __future__ import annotations

import numpy as np
import pandas as pd

BLOCK_ROWS = 16_384


def row_blocks(rows: int) -> list[slice]:
    """Consecutive slices of at most ``BLOCK_ROWS`` rows covering ``rows`` rows."""
    return [slice(start, start + BLOCK_ROWS) for start in range(0, rows, BLOCK_ROWS)]


def as_matrix(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """The learners' input: a C-ordered float64 array (one conversion, not one per call)."""
    if isinstance(features, pd.DataFrame):
        features = features.to_numpy(dtype="float64")
    return np.ascontiguousarray(features, dtype="float64")
