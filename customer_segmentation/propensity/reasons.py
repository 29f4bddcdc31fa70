"""Reason codes: the feature groups that raise a customer's served log-odds the most.

For each customer and feature group, the contribution is the change in the served
log-odds when that group alone is set to a reference value (the training median; for the
segment group, the most common training segment). This "baseline occlusion" is
model-agnostic, needs no extra dependency, and for the logistic part equals the exact
SHAP value against the median reference (a linear model's log-odds are additive). It is
not additive across features for the trees: each contribution answers "how much higher
is this score than if this feature were typical", which is what a reason code says.

``reference_contributions`` is the definition, through scikit-learn's public API only:
every row predicted again once per group. ``group_contributions`` computes the same
without that: the logistic part exactly from its per-column transforms, the trees' part
in one pass over the trees (``_sklearn_private.tree_occlusion``) where the installed
scikit-learn is the tested one, and by the definition everywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from customer_segmentation._sklearn_private import is_tested_version
from customer_segmentation.propensity.blocks import as_matrix, row_blocks
from customer_segmentation.propensity.learners import FittedPropensity

if TYPE_CHECKING:
    from customer_segmentation._sklearn_private.tree_occlusion import TreeOcclusion


def group_positions(fitted: FittedPropensity) -> dict[str, list[int]]:
    """Each reason-code group's column positions in ``fitted.columns``."""
    position = {name: index for index, name in enumerate(fitted.columns)}
    return {
        group: [position[column] for column in group_columns]
        for group, group_columns in fitted.groups.items()
    }


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
    columns = group_positions(fitted)
    result = np.empty((len(values), len(columns)))
    for block in row_blocks(len(values)):
        rows = values[block]
        base = fitted.log_odds(rows)[served]
        for group, positions in enumerate(columns.values()):
            changed = rows.copy()
            changed[:, positions] = reference[positions]
            result[block, group] = base - fitted.log_odds(changed)[served]
    return result


def tree_pass(fitted: FittedPropensity, values: np.ndarray) -> TreeOcclusion | None:
    """The one-pass ``TreeOcclusion`` of the rows (their trees' log-odds ``base`` and
    changes ``contributions``) on the tested scikit-learn series, else None."""
    if not is_tested_version():
        return None
    from customer_segmentation._sklearn_private.tree_occlusion import TreeOcclusion

    return TreeOcclusion(
        fitted.gradient_boosting, _reference_row(fitted), values, group_positions(fitted)
    )


def linear_contributions(
    fitted: FittedPropensity, transformed: np.ndarray, columns: dict[str, list[int]]
) -> np.ndarray:
    """Exact occlusion contributions of the logistic model's log-odds, per group: the
    pipeline before the classifier transforms each column on its own (a categorical
    column into its one-hot block), so the log-odds are additive over columns of the
    transformed matrix. One block of rows at a time
    (the per-column products stay in cache)."""
    coefficients = fitted.logistic[-1].coef_.ravel()
    reference = fitted.linear_input(_reference_row(fitted))
    # each group's columns in the transformed matrix (a categorical column: its one-hot block)
    linear = fitted.linear_positions()
    columns = {
        group: [place for position in positions for place in linear[position]]
        for group, positions in columns.items()
    }
    result = np.empty((len(transformed), len(columns)))
    for block in row_blocks(len(transformed)):
        per_column = (transformed[block] - reference) * coefficients
        for group, positions in enumerate(columns.values()):
            # a one-column group is its column: no gathered copy to sum over
            result[block, group] = (
                per_column[:, positions[0]]
                if len(positions) == 1
                else per_column[:, positions].sum(axis=1)
            )
    return result


def group_contributions(
    fitted: FittedPropensity,
    features: pd.DataFrame | np.ndarray,
    trees: TreeOcclusion | None = None,
    transformed: np.ndarray | None = None,
) -> np.ndarray:
    """Rows x groups (in ``fitted.groups`` order): ``reference_contributions``, computed
    without re-predicting every row per group where the scikit-learn is the tested one
    (module docstring). ``trees``: the rows' ``tree_pass``, ``transformed``: the logistic
    model's transformed rows, when already computed."""
    if isinstance(features, pd.DataFrame):
        features = features[fitted.columns]
    values = as_matrix(features)
    columns = group_positions(fitted)
    weight = fitted.served_logistic_weight
    if weight < 1 and trees is None:
        trees = tree_pass(fitted, values)
        if trees is None:  # another scikit-learn than the tested one: the definition
            return reference_contributions(fitted, values)
    contributions = np.zeros((len(values), len(columns)))
    if weight > 0:
        if transformed is None:
            transformed = fitted.linear_input(values)
        contributions += weight * linear_contributions(fitted, transformed, columns)
    if weight < 1:
        contributions += (1 - weight) * trees.contributions
    return contributions


def reason_codes(
    fitted: FittedPropensity,
    features: pd.DataFrame | np.ndarray,
    top: int = 3,
    trees: TreeOcclusion | None = None,
    transformed: np.ndarray | None = None,
) -> pd.DataFrame:
    """The ``top`` feature groups raising each row's served log-odds the most.

    Contribution of a group = served log-odds of the row minus the served log-odds with
    that group set to its reference value (see the module docstring). Only positive
    contributions are reasons; fewer than ``top`` leaves the rest null. Ties go to the
    group listed first. Columns: reason_<i>_feature, reason_<i>_contribution.
    """
    contributions = group_contributions(fitted, features, trees, transformed)
    index = features.index if isinstance(features, pd.DataFrame) else None
    return pd.DataFrame(top_reasons(contributions, list(fitted.groups), top), index=index)


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
