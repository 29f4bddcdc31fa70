"""Reason codes of every customer from the registered propensity model's rows
(ml_propensity_model), with nothing fitted.

The scores are computed in SQL (int_propensity_log_odds); the reason codes here, in
Python, because their tree part re-predicts each tree with each group at its reference
value: as SQL that is one case expression per tree and group, far slower to plan and run
(docs/benchmarks.md, "The propensity model in SQL"), while scikit-learn's tree
predictors, rebuilt from the rows, do it in one pass (``_sklearn_private.tree_occlusion``).
The definition is ``reasons``': the served log-odds minus those with the group at its
reference value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation.propensity.blocks import as_matrix
from customer_segmentation.propensity.data import KEY
from customer_segmentation.propensity.reasons import top_reasons
from customer_segmentation.segmentation.preprocessing import signed_log1p


def _part(rows: pd.DataFrame, part: str) -> pd.DataFrame:
    return rows.loc[rows["part"] == part].reset_index(drop=True)


def _scaled(values: np.ndarray, column: Any) -> np.ndarray:
    """The logistic model's scaled value of one numeric column (as
    logistic_scaled_value does in SQL)."""
    imputed = np.where(np.isnan(values), column.impute_value, values)
    if column.log1p == "log1p":
        imputed = np.log1p(np.clip(imputed, 0, None))
    elif column.log1p == "signed_log1p":
        imputed = signed_log1p(imputed)
    return (imputed - column.center) / column.scale


def _level_terms(codes: np.ndarray, levels: pd.DataFrame) -> np.ndarray:
    """A categorical column's logistic term of each code (as logistic_level_term)."""
    terms = np.zeros(len(codes))
    for level in levels.itertuples(index=False):
        matches = np.isnan(codes) if pd.isna(level.level_code) else codes == level.level_code
        terms[matches] = level.coefficient
    return terms


def linear_contributions(rows: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """Rows x model columns: each column's logistic term minus its term at the
    reference (exact: the logistic log-odds add up over columns)."""
    columns = _part(rows, "column")
    levels = _part(rows, "level")
    result = np.empty((len(values), len(columns)))
    for index, column in enumerate(columns.itertuples(index=False)):
        if column.is_categorical:
            own = levels.loc[levels["feature_name"] == column.feature_name]
            reference = _level_terms(np.array([column.reference_value]), own)[0]
            result[:, index] = _level_terms(values[:, index], own) - reference
        else:
            result[:, index] = column.coefficient * (
                _scaled(values[:, index], column) - column.reference_scaled
            )
    return result


def registered_reason_codes(design: pd.DataFrame, rows: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The ``top`` reason-code groups of every customer of ``design``
    (int_propensity_design: customer_id and the model's columns) under the registered
    model ``rows`` (ml_propensity_model). Columns: customer_id, reason_<i>_feature,
    reason_<i>_contribution (``reasons.top_reasons``)."""
    from customer_segmentation._sklearn_private.tree_export import RegisteredTrees
    from customer_segmentation._sklearn_private.tree_occlusion import TreeOcclusion

    columns = _part(rows, "column").sort_values("feature_position")
    names = columns["feature_name"].tolist()
    values = as_matrix(design[names])
    groups: dict[str, list[int]] = {}
    for index, group in enumerate(columns["feature_group"]):
        groups.setdefault(str(group), []).append(index)
    constant = _part(rows, "constant").iloc[0]
    weight = float(constant["logistic_weight"])
    contributions = np.zeros((len(values), len(groups)))
    if weight > 0:
        linear = linear_contributions(rows, values)
        for position, members in enumerate(groups.values()):
            contributions[:, position] += weight * linear[:, members].sum(axis=1)
    if weight < 1:
        trees = RegisteredTrees(_part(rows, "tree_node"), float(constant["tree_baseline"]), names)
        reference = columns["reference_value"].to_numpy(dtype="float64")[None, :]
        occlusion = TreeOcclusion(trees, reference, values, groups)
        contributions += (1 - weight) * occlusion.contributions
    reasons = pd.DataFrame(top_reasons(contributions, list(groups), top))
    reasons.insert(0, KEY, design[KEY].to_numpy())
    return reasons
