"""The propensity model's data: the feature table read in customer order, the segment at
the campaign's date added as a one-hot group, the design matrix and its target.

A text (string, object or category) column of the feature table is categorical: its
levels are learned from the training rows (sorted), and it enters the design matrix as
its level codes 0..levels-1 (missing: NaN), which the learners read as categories
(``categorical_columns``). A level unseen in training goes to ``OTHER`` when that is a
level (the feature model folds rare levels into it), else it reads as missing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation.frames import columns_of, fetch_rows, read_frame
from customer_segmentation.propensity.blocks import row_blocks

KEY = "customer_id"
TARGET = "has_responded"
TRAINING = "is_training"
SEGMENT_GROUP = "segment_id"
OTHER = "other"
# HistGradientBoostingClassifier takes at most 255 categories per feature (one bin is missing)
MAX_LEVELS = 254


@dataclass(frozen=True)
class PropensityData:
    """The design matrix of every customer and the training target."""

    customer_ids: np.ndarray
    features: pd.DataFrame
    is_training: np.ndarray
    target: np.ndarray
    groups: dict[str, list[str]]
    campaign_id: str
    categories: dict[str, list[str]] = field(default_factory=dict)

    @property
    def categorical_columns(self) -> list[str]:
        """The categorical columns of ``features`` (their values are level codes)."""
        return list(self.categories)

    @property
    def training_features(self) -> pd.DataFrame:
        return self.features.loc[self.is_training]


def read_feature_rows(relation: Any, *, training_only: bool = False) -> pd.DataFrame:
    """The rows of the feature table (what ``dbt.ref`` returns) as pandas: ordered by
    customer_id in the database and converted through Arrow (``frames.fetch_rows``), so
    the sort in ``prepare_propensity_data`` finds them in order. With ``training_only``,
    only the contacted customers: all the out-of-fold evaluation and the feature list use
    (their results equal those from every row: features, target, sample and folds come
    from training rows only), so fewer rows are read, assigned a segment and sorted."""
    missing = sorted({KEY, TRAINING, TARGET} - set(columns_of(relation)))
    if missing:
        raise ValueError(f"propensity feature table lacks columns {missing}")
    return fetch_rows(relation, order_by=KEY, where=TRAINING if training_only else None)


def assign_segments(
    frame: pd.DataFrame, preprocessing: pd.DataFrame, centroids: pd.DataFrame
) -> np.ndarray:
    """Nearest segment of each row of ``frame`` from the stored segmentation tables
    (the same impute, transform, standardize and Euclidean rule customer_segments uses
    in SQL; ties go to the lower segment id)."""
    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    kept = preprocessing.loc[~preprocessing["is_dropped"]].sort_values("feature_position")
    table = centroids.pivot(index="segment_id", columns="feature_name", values="centroid_scaled")
    table = table.sort_index()[kept["feature_name"].tolist()]
    scaled = apply_preprocessing(frame, preprocessing)
    ids, centroids_scaled = table.index.to_numpy(), table.to_numpy()
    segments = np.empty(len(scaled), dtype=ids.dtype)
    # one block of rows and one centroid at a time: the temporaries stay in cache
    for block in row_blocks(len(scaled)):
        distances = np.column_stack(
            [((scaled[block] - centroid) ** 2).sum(axis=1) for centroid in centroids_scaled]
        )
        segments[block] = ids[distances.argmin(axis=1)]
    return segments


def prepare_propensity_data(
    frame: pd.DataFrame,
    protected: Iterable[str],
    campaign_id: str,
    segments: np.ndarray | None = None,
    segment_ids: Sequence[int] | None = None,
) -> PropensityData:
    """Check the feature table and build the design matrix.

    Every column but the key, ``is_training`` and ``has_responded`` is a numeric feature
    (except one that is null on every training row: nothing can be learned from it);
    a protected attribute among them stops with an error. ``segments`` (one per row)
    become the one-hot group ``segment_id`` over ``segment_ids`` (default: the values
    seen). Rows are ordered by customer_id so results never depend on input order.
    """
    required = {KEY, TRAINING, TARGET}
    missing = sorted(required - set(frame.columns))
    if missing:
        raise ValueError(f"propensity feature table lacks columns {missing}")
    protected_names = {name.lower() for name in protected} - required
    leaked = sorted(column for column in frame.columns if column.lower() in protected_names)
    if leaked:
        raise ValueError(
            f"protected attributes {leaked} are columns of the propensity feature table: "
            "they are never model features; remove them from the feature model"
        )
    order = np.argsort(frame[KEY].astype(str).to_numpy(), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    candidates = [column for column in frame.columns if column not in required]
    categorical = [c for c in candidates if is_categorical(frame[c])]
    not_numeric = [
        c
        for c in candidates
        if c not in categorical and not pd.api.types.is_numeric_dtype(frame[c])
    ]
    if not_numeric:
        raise ValueError(
            f"propensity features {not_numeric} are neither numeric nor text (categorical)"
        )
    is_training = frame[TRAINING].fillna(False).astype(bool).to_numpy()
    # a feature never known for a training row cannot be learned (and cannot be binned)
    kept = [c for c in candidates if frame.loc[is_training, c].notna().any()]
    categories = {c: learned_levels(frame[c], is_training) for c in kept if c in categorical}
    features = pd.DataFrame(
        {
            column: level_codes(frame[column], categories[column])
            if column in categories
            else frame[column].astype("float64")
            for column in kept
        }
    )
    groups = {column: [column] for column in kept}
    if segments is not None:
        segments = np.asarray(segments)[order]
        ids = sorted(set(segment_ids) if segment_ids is not None else set(segments.tolist()))
        one_hot = {f"segment_{s}": (segments == s).astype("float64") for s in ids}
        features = pd.concat([features, pd.DataFrame(one_hot)], axis=1)
        groups[SEGMENT_GROUP] = list(one_hot)
    target = frame.loc[is_training, TARGET].astype(bool).astype(int).to_numpy()
    return PropensityData(
        customer_ids=frame[KEY].to_numpy(),
        features=features,
        is_training=is_training,
        target=target,
        groups=groups,
        campaign_id=str(campaign_id),
        categories=categories,
    )


def is_categorical(values: pd.Series) -> bool:
    """A text column: string, object (not boolean) or category dtype."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype):
        return True
    return pd.api.types.is_object_dtype(dtype) and not pd.api.types.is_bool_dtype(
        values.dropna().infer_objects()
    )


def learned_levels(values: pd.Series, is_training: np.ndarray) -> list[str]:
    """The levels of a categorical column: its distinct texts among the training rows,
    sorted; more than ``MAX_LEVELS`` stops with the column named."""
    levels = sorted(values[is_training].dropna().astype(str).unique().tolist())
    if len(levels) > MAX_LEVELS:
        raise ValueError(
            f"propensity feature {values.name!r} has {len(levels)} levels among training "
            f"rows, more than {MAX_LEVELS}: fold rare levels into '{OTHER}' in the feature "
            "model, or leave the column out of the propensity features"
        )
    return levels


def level_codes(values: pd.Series, levels: list[str]) -> np.ndarray:
    """Each value's position in ``levels`` as float64 (missing: NaN); a level not in
    ``levels`` (unseen in training) takes the position of ``OTHER`` when it is a level,
    else NaN."""
    text = values.astype("string").astype(object)
    position = {level: float(index) for index, level in enumerate(levels)}
    codes = np.array(text.map(position), dtype="float64")
    unseen = np.isnan(codes) & text.notna().to_numpy()
    if OTHER in levels:
        codes[unseen] = levels.index(OTHER)
    return codes


def propensity_data_from_tables(
    features: pd.DataFrame,
    attributes: pd.DataFrame,
    campaign: pd.DataFrame,
    preprocessing: pd.DataFrame,
    centroids: pd.DataFrame,
) -> PropensityData:
    """The dbt models' inputs made into a PropensityData: the feature table, the
    attribute table (every column but the key is protected or consent: never a feature;
    only its column names are used), the one-row target campaign table and,
    for the hybrid segment group, the segmentation parameters and centroids."""
    if campaign.empty:
        raise ValueError(
            "int_propensity_campaign is empty: input campaign_responses has no valid rows"
        )
    return prepare_propensity_data(
        features,
        [name for name in attributes.columns if name != KEY],
        str(campaign["campaign_id"].iloc[0]),
        assign_segments(features, preprocessing, centroids),
        sorted(centroids["segment_id"].unique().tolist()),
    )


def read_propensity_data(
    features: Any,
    attributes: Any,
    campaign: Any,
    preprocessing: Any,
    centroids: Any,
    *,
    training_only: bool = False,
) -> PropensityData:
    """The propensity Python models' shared read: their inputs as ``dbt.ref`` returns
    them (``frames``), made into a PropensityData (``propensity_data_from_tables``).

    Args:
        features: int_propensity_features, read by ``read_feature_rows``.
        attributes: int_customer_attributes (only its column names are read).
        campaign: int_propensity_campaign.
        preprocessing: ml_segment_preprocessing; centroids: ml_segment_centroids.
        training_only: read only the contacted customers' feature rows.
    """
    return propensity_data_from_tables(
        features=read_feature_rows(features, training_only=training_only),
        attributes=pd.DataFrame(columns=columns_of(attributes)),
        campaign=read_frame(campaign),
        preprocessing=read_frame(preprocessing),
        centroids=read_frame(centroids),
    )


def validate_target(target: np.ndarray, folds: int, campaign_id: str) -> None:
    """Fail fast, naming the campaign and what to change, when the target cannot be
    learned or cross-validated."""
    contacted = len(target)
    positives = int(np.sum(target))
    negatives = contacted - positives
    where = f"target campaign '{campaign_id}' ({contacted} contacted customers)"
    if contacted == 0:
        raise ValueError(
            f"{where}: no customer was contacted; choose another campaign with var "
            "propensity_campaign"
        )
    if positives == 0 or negatives == 0:
        only = "responders" if negatives == 0 else "non-responders"
        raise ValueError(
            f"{where} has only {only}: a response model needs both classes; choose another "
            "campaign with var propensity_campaign or check the responded column mapping"
        )
    fewest = min(positives, negatives)
    if fewest < folds:
        kind = "responders" if positives < negatives else "non-responders"
        raise ValueError(
            f"{where} has {fewest} {kind}, fewer than folds = {folds}: stratified "
            "cross-validation needs one per fold; lower folds in the config.meta of the "
            "ml_propensity models or choose a campaign with more responses"
        )


def feature_list(data: PropensityData) -> pd.DataFrame:
    """One row per model column: feature_name, feature_position, feature_group (the
    name reason codes use), training_median and missing share among training rows, and
    for a categorical column its levels count and its most frequent training level
    (reference_level, the reason-code reference; training_median null)."""
    training = data.training_features
    rows = []
    position = 0
    for group, columns in data.groups.items():
        for column in columns:
            position += 1
            levels = data.categories.get(column)
            rows.append(
                {
                    "feature_name": column,
                    "feature_position": position,
                    "feature_group": group,
                    "training_median": np.nan
                    if levels is not None
                    else float(training[column].median()),
                    "training_missing_share": float(training[column].isna().mean()),
                    "is_categorical": levels is not None,
                    "levels": None if levels is None else len(levels),
                    "reference_level": None
                    if levels is None
                    else levels[int(modal_code(training[column]))],
                }
            )
    listed = pd.DataFrame(rows)
    return listed.astype({"levels": "Int64", "reference_level": "string"})


def modal_code(codes: pd.Series) -> float:
    """The most frequent level code of a categorical column (the lowest among equals)."""
    return float(codes.dropna().value_counts(sort=False).sort_index().idxmax())
