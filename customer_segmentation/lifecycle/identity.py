"""Stable segment identities: which segments of a refit continue the previous version's.

A refit's segment keeps a previous segment's id only when the two versions are
comparable and the match is clear (``IdentityRules``):

1. comparable: the versions share at least ``min_shared_features`` of the union of
   their model features (else every segment is new: ``not_comparable``);
2. paired: the optimal one-to-one assignment (Hungarian algorithm) on the distance
   between centroids, each in its own version's standardized units, over the shared
   features; it pairs as many segments within ``max_distance`` as it can, then
   minimizes the distance (``no_counterpart`` when the refit has more segments);
3. close: the pair is at most ``max_distance`` apart (``too_far``);
4. unambiguous: the pair's distance is at most ``max_distance_ratio`` times that of
   the nearest alternative of either segment (``ambiguous``; Lowe's ratio test);
5. the same customers: at least ``min_member_share`` of the new segment's customers
   were in the previous segment, and at least that share of the previous segment's
   customers are in the new one (``members_differ``), counted on the fit rows against
   the previous version's last scoring in ``customer_segments_snapshot``; without
   that scoring (no snapshot yet) the match rests on 1-4.

Each centroid is compared in its own version's standardized units (z-scores against
its own training population), as segment names are: a segment keeps its meaning when
the whole population shifts, where placed in the new version's units every centroid
would move. Nothing here imports scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# a pair that failed, but failed every check by less than this share of its
# threshold, is flagged is_near_miss
NEAR_MISS_TOLERANCE = 0.1
REASONS = (
    "first_fit",
    "clear_match",
    "not_comparable",
    "no_counterpart",
    "too_far",
    "ambiguous",
    "members_differ",
)
# the columns match_identities adds to the centroid table, with their empty values
IDENTITY_COLUMNS = {
    "fitted_segment_id": "Int64",
    "previous_segment_id": "Int64",
    "match_distance": "float64",
    "runner_up_distance": "float64",
    "shared_feature_share": "float64",
    "members_compared": "Int64",
    "share_from_previous_segment": "float64",
    "share_of_previous_segment": "float64",
    "keeps_identity": "boolean",
    "identity_reason": "object",
    "is_near_miss": "boolean",
    "previous_fit_fingerprint": "object",
    "identity_max_distance": "float64",
    "identity_max_distance_ratio": "float64",
    "identity_min_member_share": "float64",
    "identity_min_shared_features": "float64",
}


@dataclass(frozen=True)
class IdentityRules:
    """When a refit's segment keeps a previous segment's id (see the module docstring).
    Each is a var of dbt_project.yml, named in the validation messages."""

    max_distance: float = 1.0
    max_distance_ratio: float = 0.8
    min_member_share: float = 0.6
    min_shared_features: float = 0.8

    @classmethod
    def from_meta(cls, settings: dict | None) -> IdentityRules:
        """The rules from ml_segment_centroids' ``config.meta["identity"]``, validated."""
        settings = settings or {}
        values = {}
        for name, low, high, inclusive_low in (
            ("max_distance", 0.0, np.inf, False),
            ("max_distance_ratio", 0.0, 1.0, False),
            ("min_member_share", 0.0, 1.0, True),
            ("min_shared_features", 0.0, 1.0, True),
        ):
            raw = settings.get(name, getattr(cls, name))
            try:
                value = float(raw)
            except (TypeError, ValueError):
                value = np.nan
            above = value >= low if inclusive_low else value > low
            if not (above and value <= high):
                bounds = f"{'[' if inclusive_low else '('}{low:g}, {high:g}]"
                raise ValueError(
                    f"var segment_identity_{name} must be a number in {bounds}, got {raw!r}: "
                    "set it in dbt_project.yml vars or --vars"
                )
            values[name] = value
        return cls(**values)

    def columns(self) -> dict[str, float]:
        """The thresholds as the columns the fit records them in."""
        return {f"identity_{name}": value for name, value in self.__dict__.items()}


def with_identity_columns(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every identity column, empty where missing (a centroid table
    registered before they existed): a score-mode build returns it as the mart reads it."""
    missing = {name: kind for name, kind in IDENTITY_COLUMNS.items() if name not in table}
    added = {name: _column([None] * len(table), kind) for name, kind in missing.items()}
    if "fitted_segment_id" in added:
        added["fitted_segment_id"] = _column(table["segment_id"].tolist(), "Int64")
    return table.assign(**added) if added else table


def _wide(centroids: pd.DataFrame, id_column: str) -> pd.DataFrame:
    return centroids.pivot(index=id_column, columns="feature_name", values="centroid_scaled")


def _assign(cost: np.ndarray, max_distance: float) -> dict[int, int]:
    """Row -> column of the optimal one-to-one assignment: the most pairs within
    ``max_distance``, then the least total distance (far pairs are still paired by
    distance, so the mart shows each segment's closest counterpart)."""
    from scipy.optimize import linear_sum_assignment

    # every far pair costs more than any total of distances: fewer far pairs first
    penalty = float(cost.sum()) + 1.0
    rows, cols = linear_sum_assignment(np.where(cost <= max_distance, cost, cost + penalty))
    return dict(zip(rows.tolist(), cols.tolist(), strict=True))


def _runner_up(cost: np.ndarray, row: int, col: int) -> float:
    """The nearest alternative of either segment of a pair: the new segment to another
    previous one, or another new segment to the previous one (inf when there is none)."""
    others = np.concatenate([np.delete(cost[row], col), np.delete(cost[:, col], row)])
    return float(others.min()) if len(others) else float("inf")


def _member_shares(
    members: pd.DataFrame | None, fitted_id: int, previous_id: int
) -> tuple[object, float, float]:
    """(customers compared, share of the new segment's that were in the previous one,
    share of the previous segment's now in the new one); nulls without a scoring."""
    if members is None:
        return pd.NA, np.nan, np.nan
    new = members.loc[members["fitted_segment_id"] == fitted_id, "customers"].sum()
    old = members.loc[members["previous_segment_id"] == previous_id, "customers"].sum()
    both = members.loc[
        (members["fitted_segment_id"] == fitted_id)
        & (members["previous_segment_id"] == previous_id),
        "customers",
    ].sum()
    return int(new), float(both / new) if new else 0.0, float(both / old) if old else 0.0


def _decide(rules: IdentityRules, distance: float, runner_up: float, shares: tuple) -> tuple:
    """(reason, keeps, is_near_miss) of one pair of comparable segments."""
    ratio = distance / runner_up if runner_up > 0 else np.inf
    _, share_from, share_of = shares
    known = not pd.isna(share_from)
    checks = [
        (
            "too_far",
            distance <= rules.max_distance,
            distance <= rules.max_distance * (1 + NEAR_MISS_TOLERANCE),
        ),
        (
            "ambiguous",
            ratio <= rules.max_distance_ratio,
            ratio <= rules.max_distance_ratio * (1 + NEAR_MISS_TOLERANCE),
        ),
        (
            "members_differ",
            not known or min(share_from, share_of) >= rules.min_member_share,
            not known
            or min(share_from, share_of) >= rules.min_member_share * (1 - NEAR_MISS_TOLERANCE),
        ),
    ]
    failed = [name for name, passed, _ in checks if not passed]
    if not failed:
        return "clear_match", True, False
    return failed[0], False, all(near for _, _, near in checks)


def match_identities(
    centroids: pd.DataFrame,
    previous: pd.DataFrame | None,
    rules: IdentityRules,
    members: pd.DataFrame | None = None,
    highest_registered_id: int | None = None,
) -> pd.DataFrame:
    """Give a new fit's segments the ids of the previous version's segments they
    clearly continue (the rules of the module docstring).

    Args:
        centroids: the fit's long centroid table (segment_id 1..k, feature_name,
            centroid_scaled).
        previous: the previous version's centroid table (segment_id, feature_name,
            centroid_scaled, fit_fingerprint), or None on a first fit.
        rules: the thresholds.
        members: customers per (fitted_segment_id, previous_segment_id) among the fit
            rows the previous version also scored (``member_counts``), or None.
        highest_registered_id: the largest segment id any registered version used: a
            new segment's id is above it, so a retired id never comes back.

    Returns ``centroids`` with segment_id the stable id and every ``IDENTITY_COLUMNS``.
    """
    table = centroids.rename(columns={"segment_id": "fitted_segment_id"})
    fitted_ids = sorted(table["fitted_segment_id"].unique())
    rows: dict[int, dict[str, Any]] = {}
    if previous is None:
        for fitted_id in fitted_ids:
            rows[fitted_id] = {"segment_id": fitted_id, "identity_reason": "first_fit"}
        return _with_rows(table, rows, rules, None)
    new_wide = _wide(table, "fitted_segment_id")
    old_wide = _wide(previous, "segment_id")
    shared = [name for name in new_wide.columns if name in old_wide.columns]
    union = set(new_wide.columns) | set(old_wide.columns)
    shared_share = len(shared) / len(union)
    highest = max(int(old_wide.index.max()), int(highest_registered_id or 0))
    common = {"shared_feature_share": shared_share}
    pairs: dict[int, tuple[int, float, float]] = {}
    if shared_share >= rules.min_shared_features:
        new_matrix = new_wide[shared].to_numpy(dtype=float)
        old_matrix = old_wide[shared].to_numpy(dtype=float)
        cost = np.sqrt(((new_matrix[:, None, :] - old_matrix[None, :, :]) ** 2).sum(axis=2))
        for row, col in _assign(cost, rules.max_distance).items():
            pairs[int(new_wide.index[row])] = (
                int(old_wide.index[col]),
                float(cost[row, col]),
                _runner_up(cost, row, col),
            )
    for fitted_id in fitted_ids:
        row = dict(common)
        if shared_share < rules.min_shared_features:
            row["identity_reason"] = "not_comparable"
        elif fitted_id not in pairs:
            row["identity_reason"] = "no_counterpart"
        else:
            previous_id, distance, runner_up = pairs[fitted_id]
            shares = _member_shares(members, fitted_id, previous_id)
            reason, keeps, near = _decide(rules, distance, runner_up, shares)
            row.update(
                previous_segment_id=previous_id,
                match_distance=distance,
                runner_up_distance=runner_up,
                members_compared=shares[0],
                share_from_previous_segment=shares[1],
                share_of_previous_segment=shares[2],
                identity_reason=reason,
                is_near_miss=near,
            )
            if keeps:
                row.update(segment_id=previous_id, keeps_identity=True)
        if "segment_id" not in row:
            highest += 1
            row["segment_id"] = highest
        rows[fitted_id] = row
    return _with_rows(table, rows, rules, previous["fit_fingerprint"].iloc[0])


def _column(values: list, kind: str) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """``values`` as a column of ``kind``, missing values null (NaN for floats)."""
    if kind == "float64":
        return np.array([np.nan if pd.isna(v) else float(v) for v in values], dtype=float)
    return pd.array([None if pd.isna(v) else v for v in values], dtype=kind)


def _with_rows(
    table: pd.DataFrame, rows: dict[int, dict], rules: IdentityRules, previous_fingerprint
) -> pd.DataFrame:
    """``table`` with each fitted segment's identity values spread over its rows."""
    defaults = {
        "keeps_identity": False,
        "is_near_miss": False,
        "previous_fit_fingerprint": previous_fingerprint,
        **rules.columns(),
    }
    fitted_ids = list(rows)
    by_fit = pd.DataFrame(index=pd.Index(fitted_ids, name="fitted_segment_id"))
    by_fit["segment_id"] = [int(rows[i]["segment_id"]) for i in fitted_ids]
    for name, kind in IDENTITY_COLUMNS.items():
        if name != "fitted_segment_id":
            values = [rows[i].get(name, defaults.get(name)) for i in fitted_ids]
            by_fit[name] = _column(values, kind)
    joined = table.join(by_fit, on="fitted_segment_id")
    joined["fitted_segment_id"] = joined["fitted_segment_id"].astype("Int64")
    return joined[["segment_id", *(c for c in joined.columns if c != "segment_id")]]
