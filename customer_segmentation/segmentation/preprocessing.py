"""Per-feature preprocessing for segmentation: fit the parameters, apply them.

Order of operations, the same in Python and in the SQL that scores customers:

1. impute: a null becomes ``impute_value`` (computed on the raw, non-null values);
2. transform: ``log1p`` is the signed log ``sign(x) * ln(1 + |x|)``, equal to ``log1p``
   for non-negative values and defined for negative ones (net refunds);
3. standardize: ``(x - mean) / std_dev`` with the population standard deviation
   (``ddof=0``, as scikit-learn's StandardScaler).

A feature that is all null, or constant after the transform, cannot separate anyone:
it is kept in the parameter table with ``is_dropped`` and a ``drop_reason`` so the drop
is visible and counted, and it is left out of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

IMPUTE_STRATEGIES = ("median", "mean", "zero", "max")
TRANSFORMS = ("none", "log1p")
# Columns derived from a protected attribute: age is kept out whatever form it takes.
DERIVED_PROTECTED = ("age", "age_years", "age_band", "birth_date", "date_of_birth")
FEATURES_SETTING = "var segment_features (dbt_project.yml vars, or --vars)"


@dataclass(frozen=True)
class FeatureSpec:
    """How one feature is prepared. ``max`` imputation suits "never happened" values
    such as the recency of a customer who never bought."""

    name: str
    impute: str = "median"
    transform: str = "none"

    def __post_init__(self) -> None:
        if self.impute not in IMPUTE_STRATEGIES:
            raise ValueError(
                f"feature '{self.name}': impute '{self.impute}' is not one of "
                f"{', '.join(IMPUTE_STRATEGIES)}"
            )
        if self.transform not in TRANSFORMS:
            raise ValueError(
                f"feature '{self.name}': transform '{self.transform}' is not one of "
                f"{', '.join(TRANSFORMS)}"
            )


def feature_specs(
    columns: Sequence[str], configured: dict[str, dict[str, str]] | None = None
) -> list[FeatureSpec]:
    """One spec per column: ``configured["default"]`` for every feature, updated by
    ``configured[<feature>]`` (both ``{"impute": ..., "transform": ...}``). Settings for
    features that are not columns (their input family is switched off) do not apply."""
    configured = dict(configured or {})
    default = configured.pop("default", {})
    return [FeatureSpec(name, **{**default, **configured.get(name, {})}) for name in columns]


def _expanded(names: Sequence[str], columns: Sequence[str]) -> list[str]:
    """Each name, or for a categorical column (not itself a column, but the prefix of
    its indicator columns ``<name>__<level>``) its indicators in table order."""
    expanded: list[str] = []
    for name in names:
        indicators = [column for column in columns if column.startswith(f"{name}__")]
        expanded.extend(indicators if name not in columns and indicators else [name])
    return expanded


def select_features(
    columns: Sequence[str],
    configured: Sequence[str] | None = None,
    protected: Sequence[str] = (),
    excluded: Sequence[str] | None = None,
) -> list[str]:
    """The model's features: every column when ``configured`` is empty or None, else
    the configured names in their configured order, less the ``excluded`` names (var
    segment_exclude_features). A categorical column's name stands for its indicator
    columns ``<name>__<level>``.

    A protected attribute (``protected``, plus the derived age forms in
    ``DERIVED_PROTECTED``) is never a feature, whether configured or a column; a
    configured or excluded name that is not a column is an error naming the available
    columns.
    """
    if isinstance(configured, str):
        configured = [configured]
    if isinstance(excluded, str):
        excluded = [excluded]
    forbidden = {name.lower() for name in (*protected, *DERIVED_PROTECTED)}
    chosen = list(configured or columns)
    blocked = [name for name in chosen if str(name).lower() in forbidden]
    if blocked:
        raise ValueError(
            f"{blocked} are protected attributes (var protected_attributes, or derived from "
            f"one: {', '.join(DERIVED_PROTECTED)}) and can never be model features: remove "
            f"them from {FEATURES_SETTING}"
        )
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"features {chosen} list a name twice: fix {FEATURES_SETTING}")
    chosen = _expanded(chosen, columns)
    dropped = _expanded(list(excluded or []), columns)
    missing = [name for name in [*chosen, *dropped] if name not in columns]
    if missing:
        raise ValueError(
            f"features {missing} are configured in {FEATURES_SETTING} or var "
            "segment_exclude_features but are not columns of int_customer_features; "
            f"available: {sorted(columns)}. Fix the list, or switch on the input family "
            "that provides them (var optional_inputs, customer_profile_columns; a "
            "categorical profile column is a segmentation feature when named in "
            "segment_features)"
        )
    chosen = [name for name in chosen if name not in dropped]
    if not chosen:
        raise ValueError(
            "var segment_exclude_features leaves no segmentation feature: exclude fewer"
        )
    return chosen


def signed_log1p(values: np.ndarray) -> np.ndarray:
    """sign(x) * ln(1 + |x|): log1p for non-negative values, symmetric below zero."""
    return np.sign(values) * np.log1p(np.abs(values))


def _impute_value(values: pd.Series, strategy: str) -> float:
    present = values.dropna()
    if strategy == "zero" or present.empty:
        return 0.0
    return float({"median": present.median, "mean": present.mean, "max": present.max}[strategy]())


def fit_preprocessing(frame: pd.DataFrame, specs: Sequence[FeatureSpec]) -> pd.DataFrame:
    """Learn impute value, mean and standard deviation of each feature.

    Returns one row per spec, in spec order: feature_name, feature_position (1-based),
    impute_strategy, impute_value, transform, mean, std_dev, is_dropped, drop_reason.
    """
    if not specs:
        raise ValueError("specs: no features configured; list at least one feature")
    missing = [spec.name for spec in specs if spec.name not in frame.columns]
    if missing:
        raise ValueError(
            f"features {missing} are configured but not columns of the feature table; "
            f"available: {sorted(frame.columns)}"
        )
    rows = []
    for position, spec in enumerate(specs, start=1):
        raw = frame[spec.name]
        if not pd.api.types.is_numeric_dtype(raw):
            raise ValueError(f"feature '{spec.name}' is not numeric (dtype {raw.dtype})")
        impute_value = _impute_value(raw, spec.impute)
        values = raw.astype("float64").fillna(impute_value).to_numpy()
        if spec.transform == "log1p":
            values = signed_log1p(values)
        mean, std_dev = float(values.mean()), float(values.std(ddof=0))
        drop_reason = None
        if raw.isna().all():
            drop_reason = "all values null"
        elif not std_dev > 0:
            drop_reason = "zero variance"
        rows.append(
            {
                "feature_name": spec.name,
                "feature_position": position,
                "impute_strategy": spec.impute,
                "impute_value": impute_value,
                "transform": spec.transform,
                "mean": mean,
                "std_dev": std_dev,
                "is_dropped": drop_reason is not None,
                "drop_reason": drop_reason,
            }
        )
    params = pd.DataFrame(rows)
    if params["is_dropped"].all():
        raise ValueError(
            "every configured feature is all null or constant: nothing is left to "
            "segment on; check the inputs or the feature list"
        )
    return params


def kept_features(params: pd.DataFrame) -> list[str]:
    """Names of the features the model uses, in feature_position order."""
    kept = params.loc[~params["is_dropped"]].sort_values("feature_position")
    return kept["feature_name"].tolist()


def apply_preprocessing(
    frame: pd.DataFrame, params: pd.DataFrame, block_rows: int = 65_536
) -> np.ndarray:
    """The standardized matrix (rows of ``frame`` by kept features), float64, C order.

    Plain numpy into one preallocated matrix, ``block_rows`` rows at a time (a whole
    column written into a C-order matrix strides across all of it). Every value is
    computed element by element, so the blocks change nothing."""
    kept = params.loc[~params["is_dropped"]].sort_values("feature_position")
    columns = [
        (frame[row.feature_name].to_numpy(dtype="float64", na_value=np.nan), row)
        for row in kept.itertuples()
    ]
    matrix = np.empty((len(frame), len(kept)))
    for start in range(0, len(frame), block_rows):
        stop = start + block_rows
        for position, (values, row) in enumerate(columns):
            block = values[start:stop]
            block = np.where(np.isnan(block), row.impute_value, block)
            if row.transform == "log1p":
                block = signed_log1p(block)
            block -= row.mean
            block /= row.std_dev
            matrix[start:stop, position] = block
    return matrix
