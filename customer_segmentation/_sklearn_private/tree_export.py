"""A fitted ``HistGradientBoostingClassifier``'s trees as rows, and the rows back as
scikit-learn tree predictors: the registered model is scored from its rows in SQL, and
its reason codes are computed from them with ``tree_occlusion``.

scikit-learn has no public API for these trees: this reads its predictors
(``_predictors``, their ``nodes`` and categorical bitsets), its baseline and its
``_preprocessor`` (categorical columns first, each encoded by an ordinal encoder), and
builds ``TreePredictor`` objects. Both stop on another scikit-learn series than the
tested one (``require_tested_version``); tested against ``decision_function``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation._sklearn_private import require_tested_version
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK

_BITS = 32


def _bit_is_set(bitset: np.ndarray, position: int) -> bool:
    return bool((int(bitset[position // _BITS]) >> (position % _BITS)) & 1)


def _model_order(model: Any, columns: list[str]) -> tuple[list[str], dict[int, np.ndarray]]:
    """The column names in the order the trees index them, and for each categorical
    position the raw value (level code) each encoded value stands for."""
    if model._preprocessor is None:
        return list(columns), {}
    categorical = np.asarray(model.is_categorical_, dtype=bool)
    order = [*np.flatnonzero(categorical), *np.flatnonzero(~categorical)]
    encoder = model._preprocessor.named_transformers_["encoder"]
    raw = {position: np.asarray(values) for position, values in enumerate(encoder.categories_)}
    return [columns[index] for index in order], raw


def tree_nodes(model: Any, columns: list[str]) -> tuple[pd.DataFrame, float]:
    """Every node of every tree, and the trees' baseline log-odds.

    One row per node: tree_index (from 1, in the order the trees add up), node_id (0 is
    the root), is_leaf, node_value (the leaf's log-odds), feature_name, threshold (a
    numeric split sends ``value <= threshold`` left), left_levels / right_levels (a
    categorical split: the level codes each side takes, comma-separated; any other code
    goes the missing way), missing_go_to_left, left_child, right_child.

    Args:
        model: a fitted binary ``HistGradientBoostingClassifier``.
        columns: the names of the columns it was fitted on, in order.
    """
    require_tested_version("Exporting the propensity trees")
    if model.n_trees_per_iteration_ != 1:
        raise ValueError("the propensity trees must be a binary model (one tree per iteration)")
    names, raw_levels = _model_order(model, columns)
    rows = []
    for tree_index, (predictor,) in enumerate(model._predictors, start=1):
        for node_id, node in enumerate(predictor.nodes):
            is_leaf = bool(node["is_leaf"])
            row = {
                "tree_index": tree_index,
                "node_id": node_id,
                "is_leaf": is_leaf,
                "node_value": float(node["value"]) if is_leaf else None,
                "feature_name": None,
                "threshold": None,
                "left_levels": None,
                "right_levels": None,
                "missing_go_to_left": None,
                "left_child": None,
                "right_child": None,
            }
            if not is_leaf:
                position = int(node["feature_idx"])
                row.update(
                    feature_name=names[position],
                    missing_go_to_left=bool(node["missing_go_to_left"]),
                    left_child=int(node["left"]),
                    right_child=int(node["right"]),
                )
                if node["is_categorical"]:
                    bitset = predictor.raw_left_cat_bitsets[int(node["bitset_idx"])]
                    levels = raw_levels[position]
                    # a missing value seen in training is a category of the encoder
                    # (NaN, last), never one of a split's levels: it goes the missing way
                    known = [i for i in range(len(levels)) if not np.isnan(levels[i])]
                    left = [i for i in known if _bit_is_set(bitset, i)]
                    right = [i for i in known if i not in left]
                    row["left_levels"] = ",".join(str(int(levels[i])) for i in left)
                    row["right_levels"] = ",".join(str(int(levels[i])) for i in right)
                else:
                    row["threshold"] = float(node["num_threshold"])
            rows.append(row)
    nodes = pd.DataFrame(rows).astype(
        {
            "node_value": "float64",
            "threshold": "float64",
            "missing_go_to_left": "boolean",
            "left_child": "Int64",
            "right_child": "Int64",
            "feature_name": "string",
            "left_levels": "string",
            "right_levels": "string",
        }
    )
    return nodes, float(model._baseline_prediction.ravel()[0])


class RegisteredTrees:
    """The trees of ``tree_nodes`` rows as scikit-learn predictors over the model's
    columns in their own order (categorical ones holding level codes): what
    ``TreeOcclusion`` reads of a fitted model, and nothing is fitted.

    Args:
        nodes: the ``tree_nodes`` rows.
        baseline: the trees' baseline log-odds.
        columns: the model's columns, in order.
    """

    n_trees_per_iteration_ = 1
    _preprocessor = None

    def __init__(self, nodes: pd.DataFrame, baseline: float, columns: list[str]) -> None:
        require_tested_version("Reason codes from the registered propensity trees")
        with SKLEARN_IMPORT_LOCK:
            from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
            from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        position = {name: index for index, name in enumerate(columns)}
        known: dict[int, set[int]] = {}
        self._predictors = []
        for _, tree in nodes.sort_values(["tree_index", "node_id"]).groupby("tree_index"):
            records = np.zeros(len(tree), dtype=PREDICTOR_RECORD_DTYPE)
            bitsets = []
            for index, node in enumerate(tree.itertuples(index=False)):
                record = records[index]
                record["is_leaf"] = bool(node.is_leaf)
                if node.is_leaf:
                    record["value"] = node.node_value
                    continue
                record["feature_idx"] = position[node.feature_name]
                record["missing_go_to_left"] = bool(node.missing_go_to_left)
                record["left"], record["right"] = int(node.left_child), int(node.right_child)
                if pd.isna(node.threshold):
                    left, right = _codes(node.left_levels), _codes(node.right_levels)
                    known.setdefault(position[node.feature_name], set()).update(left | right)
                    record["is_categorical"] = True
                    record["bitset_idx"] = len(bitsets)
                    bitsets.append(_bitset(left))
                else:
                    record["num_threshold"] = node.threshold
            raw = np.array(bitsets, dtype=np.uint32).reshape(-1, 8)
            self._predictors.append([TreePredictor(records, raw, raw)])
        self._baseline_prediction = np.array([[baseline]])
        self._known = known
        self._columns = len(columns)

    @property
    def _bin_mapper(self) -> RegisteredTrees:
        return self

    def make_known_categories_bitsets(self) -> tuple[np.ndarray, np.ndarray]:
        """Each categorical column's known level codes, and each column's row in them."""
        features = sorted(self._known)
        bitsets = np.array([_bitset(self._known[f]) for f in features], dtype=np.uint32)
        index = np.zeros(self._columns, dtype=np.uint32)
        index[features] = np.arange(len(features), dtype=np.uint32)
        return bitsets.reshape(-1, 8), index


def _codes(text: object) -> set[int]:
    if text is None or pd.isna(text) or text == "":
        return set()
    return {int(code) for code in str(text).split(",")}


def _bitset(codes: set[int]) -> np.ndarray:
    words = np.zeros(8, dtype=np.uint32)
    for code in codes:
        words[code // _BITS] |= np.uint32(1 << (code % _BITS))
    return words
