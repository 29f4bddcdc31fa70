"""The logistic baseline's log1p of skewed columns, as a scikit-learn transformer.

Imports scikit-learn: import it under ``runtime.SKLEARN_IMPORT_LOCK`` (``learners`` does).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin


class SkewedLog1p(TransformerMixin, BaseEstimator):
    """log1p of the columns that are non-negative with skewness above 1 in the rows it is
    fitted on (the choice is part of each fit)."""

    def fit(self, values: np.ndarray, target: Any = None) -> SkewedLog1p:
        values = np.asarray(values, dtype="float64")
        centred = values - values.mean(axis=0)
        spread = values.std(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            skewness = (centred**3).mean(axis=0) / spread**3
        self.columns_ = (values.min(axis=0) >= 0) & (np.nan_to_num(skewness) > 1.0)
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        values = np.array(values, dtype="float64")
        for column in np.flatnonzero(self.columns_):  # in place, one column at a time
            np.log1p(np.clip(values[:, column], 0, None), out=values[:, column])
        return values
