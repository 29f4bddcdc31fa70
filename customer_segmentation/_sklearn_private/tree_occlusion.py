"""The trees' part of the reason codes in one pass, on scikit-learn's private tree API.

Equal to the public-API definition (``propensity.reasons.reference_contributions``:
re-predict every row once per group with the group at its reference value) up to
rounding, and tested against it on the pinned scikit-learn. It reads a
``HistGradientBoostingClassifier``'s predictors (``_predictors``, their ``nodes``,
``TreePredictor``), its bin mapper's categorical bitsets and its ``_preprocessor``, of a
fitted model or of ``tree_export.RegisteredTrees`` (which checks the scikit-learn
series).

The trees' log-odds are the baseline plus one leaf value per tree, so a group's
contribution is the sum over trees of (the row's leaf value - the leaf value with the
group at the reference). A tree's leaf changes only when the row's path crosses a split
on the group's columns in the direction the reference does not take; each leaf knows for
which groups its path does, so only those rows are predicted again, by a copy of that
tree whose splits on the group send every row the reference's way. Every other (row,
tree) pair adds exactly 0. Rows in the same interval between the ensemble's thresholds
in every column take the same paths in every tree and copy; when a sample shows such
repeats are common, each distinct one is passed once (``_distinct_paths``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from customer_segmentation import runtime
from customer_segmentation.propensity import blocks
from customer_segmentation.propensity.blocks import as_matrix, row_blocks
from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK


def _path_keys(split: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per row, a number naming its interval between the ensemble's thresholds in every
    column (``split``: the ensemble's numeric split nodes): equal numbers, equal paths
    in every tree (``value <= threshold`` holds for the same thresholds; a missing value
    is an interval of its own)."""
    key = np.zeros(len(values), dtype=np.int64)
    for column in np.unique(split["feature_idx"]):
        thresholds = np.unique(split["num_threshold"][split["feature_idx"] == column])
        size = len(thresholds) + 2
        if key.max(initial=0) >= (2**62) // size:
            key = np.unique(key, return_inverse=True)[1].astype(np.int64)
        cell = np.searchsorted(thresholds, values[:, column], side="left")
        cell[np.isnan(values[:, column])] = size - 1
        key = key * size + cell
    return key


def _distinct_paths(model: Any, values: np.ndarray) -> tuple[Any, Any]:
    """(first row of each distinct path, each row's path) when rows repeat paths often
    (fewer distinct paths than a quarter of an evenly spaced sample of rows), else
    (None, None): the grouping would cost more than it saves. Numeric splits only."""
    nodes = np.concatenate([tree.nodes for iteration in model._predictors for tree in iteration])
    split = nodes[nodes["is_leaf"] == 0]
    if len(values) < 2 * blocks.BLOCK_ROWS or split["is_categorical"].any():
        return None, None
    sample = values[:: len(values) // blocks.BLOCK_ROWS]
    if len(np.unique(_path_keys(split, sample))) > len(sample) // 4:
        return None, None
    _, first, inverse = np.unique(_path_keys(split, values), return_index=True, return_inverse=True)
    return first, inverse


class TreeOcclusion:
    """The trees' raw log-odds of every row (``base``: the baseline plus each tree's leaf
    value, added in scikit-learn's order, so bit-identical to ``decision_function``) and,
    per reason-code group, the change when the group alone is set to the reference
    (``contributions``: exactly 0 where no leaf changes).

    Args:
        model: a fitted binary ``HistGradientBoostingClassifier``.
        reference: one row (1 x columns) of reference values.
        values: the rows (rows x columns, float64, C order).
        columns: each group's column positions, in group order.
    """

    def __init__(
        self, model: Any, reference: np.ndarray, values: np.ndarray, columns: dict[str, list[int]]
    ) -> None:
        with SKLEARN_IMPORT_LOCK:
            from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        if model.n_trees_per_iteration_ != 1:
            raise ValueError("reason codes need a binary response model (one tree per iteration)")
        self.known_categories, self.feature_map = model._bin_mapper.make_known_categories_bitsets()
        group_of = np.full(values.shape[1], -1)
        for position, group_columns in enumerate(columns.values()):
            group_of[group_columns] = position
        if model._preprocessor is not None:
            # categorical features: the trees see the model's encoding, categorical
            # columns first (as decision_function does)
            categorical = np.asarray(model.is_categorical_, dtype=bool)
            group_of = group_of[np.r_[np.flatnonzero(categorical), np.flatnonzero(~categorical)]]
            values = as_matrix(model._preprocessor.transform(values))
            reference = as_matrix(model._preprocessor.transform(reference))
        self.predictor = TreePredictor
        self.trees = [
            self._prepare(predictor, reference, group_of, len(columns))
            for iteration in model._predictors
            for predictor in iteration
        ]
        # rows in the same interval between the ensemble's thresholds in every column
        # reach the same leaves in every tree and copy: each such path is passed once
        first, inverse = _distinct_paths(model, values)
        unique = values if first is None else values[first]
        base = np.zeros(len(unique)) + model._baseline_prediction.ravel()[0]
        contributions = np.zeros((len(unique), len(columns)))

        # blocks side by side in threads (predictions release the GIL), each prediction on
        # one OpenMP thread: thousands of small predictions would otherwise wait at OpenMP
        # barriers on a busy machine. Each block writes only its own rows.
        def add_block(block: slice) -> None:
            self._add_block(unique[block], base[block], contributions[block], 1)

        with ThreadPoolExecutor(runtime.PYTHON_THREADS) as pool:
            list(pool.map(add_block, row_blocks(len(unique))))
        self.base = base if inverse is None else base[inverse]
        self.contributions = contributions if inverse is None else contributions[inverse]

    def _predict(self, predictor: Any, values: np.ndarray, threads: int) -> np.ndarray:
        return predictor.predict(values, self.known_categories, self.feature_map, threads)

    def _copy(self, predictor: Any, nodes: np.ndarray) -> Any:
        return self.predictor(
            nodes, predictor.binned_left_cat_bitsets, predictor.raw_left_cat_bitsets
        )

    def _reference_child(self, predictor: Any, node: int, reference: np.ndarray) -> int:
        """The child of split ``node`` the reference row goes to, decided by the
        predictor itself on a three-node tree (the split and two leaves)."""
        nodes = predictor.nodes
        probe = np.zeros(3, dtype=nodes.dtype)
        probe[0] = nodes[node]
        probe[0]["left"], probe[0]["right"] = 1, 2
        probe["is_leaf"][1:] = 1
        probe["value"][1] = 1.0
        goes_left = self._predict(self._copy(predictor, probe), reference, 1)[0] == 1.0
        return int(nodes[node]["left"] if goes_left else nodes[node]["right"])

    def _prepare(
        self, predictor: Any, reference: np.ndarray, group_of: np.ndarray, groups: int
    ) -> dict[str, Any]:
        """One tree: its leaf finder (a copy whose leaf values are their node numbers),
        leaf values, which groups each leaf's path diverges for, and per such group the
        copy whose splits on the group follow the reference."""
        nodes = predictor.nodes
        splits = np.flatnonzero(nodes["is_leaf"] == 0)
        child = {int(node): self._reference_child(predictor, node, reference) for node in splits}
        diverges = np.zeros((len(nodes), groups), dtype=bool)
        pending = [(0, np.zeros(groups, dtype=bool))]
        while pending:
            node, diverged = pending.pop()
            if nodes[node]["is_leaf"]:
                diverges[node] = diverged
                continue
            group = group_of[nodes[node]["feature_idx"]]
            for side in (int(nodes[node]["left"]), int(nodes[node]["right"])):
                path = diverged.copy()
                if group >= 0 and side != child[node]:
                    path[group] = True
                pending.append((side, path))
        numbered = nodes.copy()
        numbered["value"] = np.arange(len(nodes))
        forced = {}
        for group in np.flatnonzero(diverges.any(axis=0)):
            copy = nodes.copy()
            for node in splits[group_of[nodes["feature_idx"][splits]] == group]:
                copy[node]["left"] = copy[node]["right"] = child[int(node)]
            forced[int(group)] = self._copy(predictor, copy)
        return {
            "leaf_finder": self._copy(predictor, numbered),
            "values": nodes["value"].copy(),
            "diverges": diverges,
            "forced": forced,
        }

    def _add_block(
        self, values: np.ndarray, base: np.ndarray, contributions: np.ndarray, threads: int
    ) -> None:
        """Add every tree's leaf values to ``base`` and its changes to ``contributions``."""
        for tree in self.trees:
            leaves = self._predict(tree["leaf_finder"], values, threads).astype(np.intp)
            leaf_values = tree["values"][leaves]
            base += leaf_values
            diverges = tree["diverges"][leaves]
            for group, forced in tree["forced"].items():
                rows = np.flatnonzero(diverges[:, group])
                if len(rows):
                    changed = self._predict(forced, values[rows], threads)
                    contributions[rows, group] += leaf_values[rows] - changed
