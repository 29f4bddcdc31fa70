"""Reason codes: the feature groups that raise a customer's served log-odds the most.

For each customer and feature group, the contribution is the change in the served
log-odds when that group alone is set to a reference value (the training median; for the
segment group, the most common training segment). This "baseline occlusion" is
model-agnostic, needs no extra dependency, and for the logistic part equals the exact
SHAP value against the median reference (a linear model's log-odds are additive). It is
not additive across features for the trees: each contribution answers "how much higher
is this score than if this feature were typical", which is what a reason code says.

``reference_contributions`` is the definition, through scikit-learn's public API only:
every row predicted again once per group; ``top_reasons`` picks each row's reasons from
the contributions. The fast path, which computes the same contributions without
re-predicting every row per group, lives in ``registered``: on the registered model's
rows (ml_propensity_model), the logistic part exactly from its per-column transforms and
the trees' part in one pass over the trees rebuilt from the rows
(``_sklearn_private.tree_export``, ``_sklearn_private.tree_occlusion``); it is tested
against ``reference_contributions``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_segmentation.propensity.blocks import as_matrix, row_blocks
from customer_segmentation.propensity.learners import FittedPropensity


def _reference_row(fitted: FittedPropensity) -> np.ndarray:
    """The reference values, one row (1 x columns) in ``fitted.columns`` order."""
    return fitted.reference[fitted.columns].to_numpy(dtype="float64")[None, :]


def reference_contributions(
    fitted: FittedPropensity, features: pd.DataFrame | np.ndarray
) -> np.ndarray:
    """Rows x groups: the served log-odds minus the served log-odds with that group set
    to its reference value, by re-predicting every row once per group (public API only;
    one block of rows at a time)."""
    if isinstance(features, pd.DataFrame):
        features = features[fitted.columns]
    values = as_matrix(features)
    reference = _reference_row(fitted)[0]
    served = fitted.served_model
    position = {name: index for index, name in enumerate(fitted.columns)}
    columns = {
        group: [position[column] for column in group_columns]
        for group, group_columns in fitted.groups.items()
    }
    result = np.empty((len(values), len(columns)))
    for block in row_blocks(len(values)):
        rows = values[block]
        base = fitted.log_odds(rows)[served]
        for group, positions in enumerate(columns.values()):
            changed = rows.copy()
            changed[:, positions] = reference[positions]
            result[block, group] = base - fitted.log_odds(changed)[served]
    return result


def top_reasons(contributions: np.ndarray, names: list[str], top: int) -> dict[str, np.ndarray]:
    """Per row of ``contributions`` (rows x groups, in ``names`` order), the ``top``
    positive ones, largest first, the group listed first among equals (the order of a
    stable sort): reason_<i>_feature and reason_<i>_contribution, null past the last
    positive one. Consumes ``contributions`` (each pick is set to -inf)."""
    rows = np.arange(len(contributions))
    result = {}
    for rank in range(min(top, len(names))):
        picked = contributions.argmax(axis=1)  # the first of equal maxima
        value = contributions[rows, picked].copy()
        contributions[rows, picked] = -np.inf
        positive = value > 1e-12
        result[f"reason_{rank + 1}_feature"] = np.where(
            positive, np.asarray(names, dtype=object)[picked], None
        )
        result[f"reason_{rank + 1}_contribution"] = np.where(positive, value, np.nan)
    return result
