"""The served propensity model as plain rows, which SQL scores every customer from.

One table, one row per part of the model (``part``):

- ``constant`` (one row): served_model, logistic_weight, tree_baseline (the trees'
  baseline log-odds), intercept (the logistic model's), log_odds_shift (the prior
  correction, added to both learners' log-odds);
- ``column`` (one per model column, in order): how the logistic model transforms it
  (impute_value, log1p 'none' | 'log1p' | 'signed_log1p', center, scale, coefficient;
  null for a categorical column, see ``level``), the reason-code reference
  (reference_value; reference_scaled, the reference after those transforms), and the
  column's training summary (``data.feature_list``);
- ``level`` (one per level of a categorical column, and its missing value when
  training had one): level, level_code (the value the model reads) and the logistic
  one-hot coefficient;
- ``tree_node`` (one per node of every tree, ``_sklearn_private.tree_export``).

The learners' attributes are scikit-learn's public ones (``statistics_``, ``mean_``,
``scale_``, ``coef_``, ``categories_``), except the trees'.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_segmentation.propensity.data import PropensityData, feature_list
from customer_segmentation.propensity.learners import FittedPropensity

PARTS = ("constant", "column", "level", "tree_node")
# every column of the table, whichever parts a model has, and its type
COLUMNS = {
    "part": "string",
    "served_model": "string",
    "logistic_weight": "float64",
    "tree_baseline": "float64",
    "intercept": "float64",
    "log_odds_shift": "float64",
    "feature_name": "string",
    "feature_position": "Int64",
    "feature_group": "string",
    "is_categorical": "boolean",
    "reference_value": "float64",
    "training_median": "float64",
    "training_missing_share": "float64",
    "levels": "Int64",
    "reference_level": "string",
    "impute_value": "float64",
    "log1p": "string",
    "center": "float64",
    "scale": "float64",
    "coefficient": "float64",
    "reference_scaled": "float64",
    "level": "string",
    "level_code": "float64",
    "tree_index": "Int64",
    "node_id": "Int64",
    "is_leaf": "boolean",
    "node_value": "float64",
    "threshold": "float64",
    "left_levels": "string",
    "right_levels": "string",
    "missing_go_to_left": "boolean",
    "left_child": "Int64",
    "right_child": "Int64",
}


def _numeric_steps(fitted: FittedPropensity) -> tuple[list, object]:
    """The numeric preprocessing steps and the classifier of the logistic pipeline."""
    pipeline = fitted.logistic
    if fitted.categorical:
        return list(pipeline[0].named_transformers_["numeric"]), pipeline[-1]
    return list(pipeline[:-1]), pipeline[-1]


def _log1p_kinds(steps: list, count: int) -> list[str]:
    from customer_segmentation.propensity.skewed_log1p import SkewedLog1p

    kinds = ["none"] * count
    for step in steps:
        if isinstance(step, SkewedLog1p):
            kinds = ["log1p" if chosen else "none" for chosen in step.columns_]
        elif type(step).__name__ == "FunctionTransformer":  # signed_log1p on every column
            kinds = ["signed_log1p"] * count
    return kinds


def column_rows(fitted: FittedPropensity, data: PropensityData) -> pd.DataFrame:
    """The ``column`` and ``level`` rows."""
    steps, classifier = _numeric_steps(fitted)
    numeric = [c for c in fitted.columns if c not in fitted.categorical]
    imputer, scaler = steps[0], steps[-1]
    kinds = _log1p_kinds(steps, len(numeric))
    coefficients = classifier.coef_.ravel()
    reference_row = fitted.reference[fitted.columns].to_numpy(dtype="float64")[None, :]
    reference_scaled = fitted.linear_input(reference_row)[0]
    listed = feature_list(data).set_index("feature_name")
    rows = []
    for position, column in enumerate(fitted.columns, start=1):
        row = {
            "part": "column",
            "feature_name": column,
            "feature_position": position,
            "feature_group": listed.at[column, "feature_group"],
            "is_categorical": column in fitted.categorical,
            "reference_value": float(fitted.reference[column]),
            "training_median": listed.at[column, "training_median"],
            "training_missing_share": listed.at[column, "training_missing_share"],
            "levels": listed.at[column, "levels"],
            "reference_level": listed.at[column, "reference_level"],
        }
        if column in numeric:
            index = numeric.index(column)
            row.update(
                impute_value=float(imputer.statistics_[index]),
                log1p=kinds[index],
                center=float(scaler.mean_[index]),
                scale=float(scaler.scale_[index]),
                coefficient=float(coefficients[index]),
                reference_scaled=float(reference_scaled[index]),
            )
        rows.append(row)
    if fitted.categorical:
        encoder = fitted.logistic[0].named_transformers_["categorical"]
        start = len(numeric)
        for column, codes in zip(fitted.categorical, encoder.categories_, strict=True):
            levels = data.categories[column]
            for offset, code in enumerate(codes):
                missing = bool(np.isnan(code))
                rows.append(
                    {
                        "part": "level",
                        "feature_name": column,
                        "level": None if missing else levels[int(code)],
                        "level_code": None if missing else float(code),
                        "coefficient": float(coefficients[start + offset]),
                    }
                )
            start += len(codes)
    return pd.DataFrame(rows)


def tree_rows(fitted: FittedPropensity) -> tuple[pd.DataFrame, float]:
    """The ``tree_node`` rows and the trees' baseline log-odds."""
    from customer_segmentation._sklearn_private.tree_export import tree_nodes

    nodes, baseline = tree_nodes(fitted.gradient_boosting, fitted.columns)
    group_of = {column: group for group, columns in fitted.groups.items() for column in columns}
    nodes["feature_group"] = nodes["feature_name"].map(group_of).astype("string")
    return nodes.assign(part="tree_node"), baseline


def model_rows(fitted: FittedPropensity, data: PropensityData) -> pd.DataFrame:
    """Every row of the served model (module docstring), parts in ``PARTS`` order."""
    trees, baseline = tree_rows(fitted)
    classifier = _numeric_steps(fitted)[1]
    constant = pd.DataFrame(
        [
            {
                "part": "constant",
                "served_model": fitted.served_model,
                "logistic_weight": fitted.served_logistic_weight,
                "tree_baseline": baseline,
                "intercept": float(classifier.intercept_[0]),
                "log_odds_shift": fitted.log_odds_shift,
            }
        ]
    )
    rows = pd.concat([constant, column_rows(fitted, data), trees], ignore_index=True)
    return rows.reindex(columns=list(COLUMNS)).astype(COLUMNS)
