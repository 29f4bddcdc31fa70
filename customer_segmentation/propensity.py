"""Campaign-response propensity: training rows, out-of-fold evaluation, final scores, reasons.

The feature table (``int_propensity_features``) holds one row per customer with
``customer_id``, ``is_training`` (contacted in the target campaign), ``has_responded``
(the target, null when not contacted) and numeric features measured before the
campaign's contact date. The segment at that date is added as a one-hot group
("hybrid" model), computed from the stored segmentation parameters and centroids.

Learners: scikit-learn ``HistGradientBoostingClassifier`` (native missing values) and a
``LogisticRegression`` baseline (median imputation, optional signed log1p, scaling) on
the same columns. Both are trained with ``class_weight="balanced"``; their scores are
then moved back to the observed response rate by the prior correction
``logit(p) + logit(rate) - logit(0.5)`` (rank order, hence ROC-AUC, is unchanged, and
the scores read as probabilities again). The served score is the gradient-boosting
model, optionally blended with the logistic model in log-odds (``blend_weight``).

Reason codes: for each customer and feature group, the change in the served log-odds
when that group alone is set to a reference value (the training median; for the
segment group, the most common training segment). This "baseline occlusion" is
model-agnostic, needs no extra dependency (tree SHAP is not in scikit-learn), and for
the logistic part it equals the exact SHAP value against the median reference (a linear
model's log-odds are additive). It is not additive across features for the trees:
each contribution answers "how much higher is this score than if this feature were
typical", which is what a reason code is asked to say.

The definition is brute force (re-predict every customer once per group); it is
computed exactly without that (``group_contributions``):

- logistic part: its log-odds are ``intercept + sum_j coef_j * t_j(x_j)`` where ``t_j``
  is the per-column impute, log1p and scaling, so a group's contribution is
  ``sum_{j in group} coef_j * (t_j(x_j) - t_j(reference_j))``: one pass over the rows;
- trees: the ensemble's log-odds are the baseline plus one leaf value per tree, so a
  group's contribution is the sum over trees of (the row's leaf value - the leaf value
  with the group at the reference). A tree's leaf changes only when the row's path
  crosses a split on the group's columns in the direction the reference does not take;
  each leaf knows for which groups its path does, so only those rows are predicted again,
  by a copy of that tree whose splits on the group send every row the reference's way
  (``_TreeOcclusion``). Every other (row, tree) pair adds exactly 0. Rows in the same
  interval between the ensemble's thresholds in every column take the same paths in
  every tree and copy; when a sample shows such repeats are common, each distinct one
  is passed once (``_distinct_paths``).

The out-of-fold evaluation can be capped (``oof_max_rows``): above it, the stratified
K-fold runs on a fixed-seed sample of that many training rows, stratified by response
(every customer is still scored by the final model, fitted on all training rows).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK

KEY = "customer_id"
TARGET = "has_responded"
TRAINING = "is_training"
SEGMENT_GROUP = "segment_id"
BLEND = "blend"
# Python threads for the out-of-fold folds and the reason-code pass: one per core this
# process may use, at most two
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
_THREADS = max(1, min(2, _CORES or 1))
# rows per block wherever every customer passes through several steps: a block of the
# feature matrix stays in cache while each step passes over it (the reason-code pass:
# 2.6 s for 1M customers, 32 columns and 46 trees on two threads, against 3.8 s with
# blocks of 65,536)
_BLOCK_ROWS = 16_384


def _row_blocks(rows: int) -> list[slice]:
    """Consecutive slices of at most ``_BLOCK_ROWS`` rows covering ``rows`` rows."""
    return [slice(start, start + _BLOCK_ROWS) for start in range(0, rows, _BLOCK_ROWS)]


@dataclass(frozen=True)
class PropensityConfig:
    """Learner settings, read from the Python models' ``config.meta``.

    folds: stratified K-fold splits for the out-of-fold predictions (>= 2).
    random_state: seed of the fold split and of both learners.
    gradient_boosting: keyword arguments of HistGradientBoostingClassifier.
    logistic: keyword arguments of LogisticRegression.
    logistic_log1p: before scaling (logistic only), apply log1p to "skewed" features (those
        non-negative in the training rows with skewness above 1, chosen at each fit),
        to "all" (the signed log1p), or to none ("none").
    blend_weight: weight of the logistic model in the served log-odds (0 = trees only).
    class_weight: "balanced" or None, for both learners.
    prior_correction: move balanced-weight scores back to the observed response rate.
    oof_max_rows: None (evaluate every training row) or the largest number of training
        rows the out-of-fold evaluation uses: above it, a fixed-seed sample of that many,
        stratified by response.
    """

    folds: int = 5
    random_state: int = 42
    gradient_boosting: dict[str, Any] = field(default_factory=dict)
    logistic: dict[str, Any] = field(default_factory=dict)
    logistic_log1p: str = "skewed"
    blend_weight: float = 0.0
    class_weight: str | None = "balanced"
    prior_correction: bool = True
    oof_max_rows: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.oof_max_rows, str):  # rendered from a dbt var in config.meta
            cap = self.oof_max_rows.strip()
            object.__setattr__(
                self, "oof_max_rows", None if cap.lower() in ("", "none", "null") else int(cap)
            )
        if int(self.folds) < 2:
            raise ValueError(f"folds is {self.folds}: use at least 2 in config.meta")
        if self.oof_max_rows is not None and int(self.oof_max_rows) < 2 * int(self.folds):
            raise ValueError(
                f"oof_max_rows is {self.oof_max_rows}: use null (no cap) or at least "
                f"2 x folds = {2 * int(self.folds)} in config.meta"
            )
        if not 0.0 <= float(self.blend_weight) <= 1.0:
            raise ValueError(f"blend_weight is {self.blend_weight}: use a value in [0, 1]")
        if self.logistic_log1p not in ("skewed", "all", "none"):
            raise ValueError(
                f"logistic_log1p is {self.logistic_log1p!r}: use 'skewed', 'all' or 'none'"
            )
        if self.class_weight not in ("balanced", None):
            raise ValueError(f"class_weight is {self.class_weight!r}: use 'balanced' or null")

    @classmethod
    def from_meta(cls, meta: dict[str, Any] | None) -> PropensityConfig:
        """Build from a model's ``config.meta`` (its ``propensity`` key, or the whole)."""
        meta = dict(meta or {})
        settings = dict(meta.get("propensity", meta))
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(
                f"config.meta propensity settings {unknown} are not known; use {sorted(known)}"
            )
        return cls(**settings)


@dataclass(frozen=True)
class PropensityData:
    """The design matrix of every customer and the training target."""

    customer_ids: np.ndarray
    features: pd.DataFrame
    is_training: np.ndarray
    target: np.ndarray
    groups: dict[str, list[str]]
    campaign_id: str

    @property
    def training_features(self) -> pd.DataFrame:
        return self.features.loc[self.is_training]


def _matrix(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """The learners' input: a C-ordered float64 array (one conversion, not one per call)."""
    if isinstance(features, pd.DataFrame):
        features = features.to_numpy(dtype="float64")
    return np.ascontiguousarray(features, dtype="float64")


def read_feature_rows(relation: Any, *, training_only: bool = False) -> pd.DataFrame:
    """The rows of the feature table (a DuckDB relation, ``dbt.ref`` in a dbt-duckdb
    Python model) as pandas: ordered by customer_id in the database and converted
    through Arrow (``frames.fetch_rows``), so the sort in ``prepare_propensity_data``
    finds them in order. With ``training_only``, only the contacted customers: all the
    out-of-fold evaluation and the feature list use (their results equal those from
    every row: features, target, sample and folds come from training rows only), at a
    tenth of the rows to read, assign a segment and sort."""
    from customer_segmentation.frames import fetch_rows

    missing = sorted({KEY, TRAINING, TARGET} - set(relation.columns))
    if missing:
        raise ValueError(f"propensity feature table lacks columns {missing}")
    if training_only:
        relation = relation.filter(f'"{TRAINING}"')
    frame = fetch_rows(relation, list(relation.columns), order_by=KEY)
    for name, kind in zip(relation.columns, relation.types, strict=True):
        if str(kind) == "BOOLEAN" and frame[name].dtype == object:  # nullable: as .df() does
            frame[name] = frame[name].astype("boolean")
    return frame


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
    for block in _row_blocks(len(scaled)):
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
    numeric = [column for column in frame.columns if column not in required]
    not_numeric = [c for c in numeric if not pd.api.types.is_numeric_dtype(frame[c])]
    if not_numeric:
        raise ValueError(f"propensity features {not_numeric} are not numeric")
    is_training = frame[TRAINING].fillna(False).astype(bool).to_numpy()
    # a feature never known for a training row cannot be learned (and cannot be binned)
    numeric = [c for c in numeric if frame.loc[is_training, c].notna().any()]
    features = frame[numeric].astype("float64")
    groups = {column: [column] for column in numeric}
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
    )


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


def _expit(log_odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-log_odds))


@dataclass
class FittedPropensity:
    """Both fitted learners and what is needed to serve and explain their score."""

    gradient_boosting: Any
    logistic: Any
    config: PropensityConfig
    log_odds_shift: float
    columns: list[str]
    groups: dict[str, list[str]]
    reference: pd.Series

    def log_odds(
        self,
        features: pd.DataFrame | np.ndarray,
        trees: np.ndarray | None = None,
        transformed: np.ndarray | None = None,
    ) -> dict[str, np.ndarray]:
        """Prior-corrected log-odds of each learner and of the served blend (a frame
        with the model's columns, or an array in their order); ``trees``: the trees'
        raw log-odds of these rows, ``transformed``: the logistic model's transformed
        input, when already computed."""
        if isinstance(features, pd.DataFrame):
            features = features[self.columns]
        values = _matrix(features)
        if trees is None:
            trees = _tree_decision(self.gradient_boosting, values)
        trees = trees + self.log_odds_shift
        if transformed is None:
            transformed = self.linear_input(values)
        linear = self.logistic[-1].decision_function(transformed) + self.log_odds_shift
        weight = float(self.config.blend_weight)
        return {
            "gradient_boosting": trees,
            "logistic_baseline": linear,
            BLEND: (1 - weight) * trees + weight * linear,
        }

    def linear_input(self, values: np.ndarray) -> np.ndarray:
        """The logistic model's input: its pipeline's transform of ``values``, one block
        of rows at a time (each step copies its input: per block the copies stay in
        cache; 0.5 s against 1.1 s for 1M rows x 28 columns, the same values)."""
        transform = self.logistic[:-1]
        if len(values) <= _BLOCK_ROWS:
            return transform.transform(values)
        # every step keeps the columns (the imputer keeps empty ones)
        result = np.empty(values.shape)
        for block in _row_blocks(len(values)):
            result[block] = transform.transform(values[block])
        return result

    @property
    def served_model(self) -> str:
        """The name of the served model: the blend when it has a logistic weight."""
        return BLEND if self.config.blend_weight > 0 else "gradient_boosting"

    def score(self, features: pd.DataFrame) -> np.ndarray:
        """The served propensity (a probability) of each row."""
        return _expit(self.log_odds(features)[self.served_model])


class _SkewedLog1p:
    """log1p of the columns that are non-negative with skewness above 1 in the rows it is
    fitted on (a scikit-learn transformer; the choice is part of each fit)."""

    def fit(self, values: np.ndarray, target: Any = None) -> _SkewedLog1p:
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

    def fit_transform(self, values: np.ndarray, target: Any = None) -> np.ndarray:
        return self.fit(values, target).transform(values)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {}

    def set_params(self, **params: Any) -> _SkewedLog1p:
        return self


# scikit-learn's early_stopping="auto" turns early stopping on above this many rows
_AUTO_EARLY_STOPPING_ROWS = 10_000


def _learners(config: PropensityConfig, training_rows: int) -> tuple[Any, Any]:
    """The two learners. ``training_rows`` (every contacted customer) decides
    early_stopping "auto" once, as scikit-learn decides it for the final fit: an
    out-of-fold fit sees only part of those rows, and on its own would run all
    iterations where the served model stops early (12,000 contacted: 9,600-row folds),
    so the evaluation would score another procedure than the one served."""
    with SKLEARN_IMPORT_LOCK:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import FunctionTransformer, StandardScaler
    from customer_segmentation.binning import use_one_call_binning

    use_one_call_binning()  # balanced class weights make every fit's binning weighted
    settings = {"random_state": config.random_state, **config.gradient_boosting}
    if settings.get("early_stopping", "auto") == "auto":
        settings["early_stopping"] = training_rows > _AUTO_EARLY_STOPPING_ROWS
    trees = HistGradientBoostingClassifier(**settings, class_weight=config.class_weight)
    from customer_segmentation.segmentation.preprocessing import signed_log1p

    steps: list[Any] = [SimpleImputer(strategy="median", keep_empty_features=True)]
    if config.logistic_log1p == "all":
        steps.append(FunctionTransformer(signed_log1p))
    elif config.logistic_log1p == "skewed":
        steps.append(_SkewedLog1p())
    steps += [
        StandardScaler(),
        LogisticRegression(
            **{"max_iter": 2000, "random_state": config.random_state, **config.logistic},
            class_weight=config.class_weight,
        ),
    ]
    return trees, make_pipeline(*steps)


def _log_odds_shift(target: np.ndarray, config: PropensityConfig) -> float:
    """logit(observed rate) - logit(rate the weighted fit sees): 0 without reweighting."""
    if not config.prior_correction or config.class_weight is None:
        return 0.0
    rate = float(np.mean(target))
    return float(np.log(rate / (1 - rate)))  # balanced weights see a rate of 0.5


def fit_propensity(
    features: pd.DataFrame,
    target: np.ndarray,
    config: PropensityConfig,
    groups: dict,
    training_rows: int | None = None,
) -> FittedPropensity:
    """Fit both learners on the given rows; ``training_rows``: how many training rows
    the served model has, when these are fewer (an out-of-fold fit; see ``_learners``)."""
    trees, linear = _learners(config, len(target) if training_rows is None else training_rows)
    values = _matrix(features)
    with _few_rows_one_thread(len(values)):
        trees.fit(values, target)
    linear.fit(values, target)
    reference = features.median()
    if SEGMENT_GROUP in groups:
        one_hot = features[groups[SEGMENT_GROUP]]
        modal = one_hot.sum().idxmax()
        reference[groups[SEGMENT_GROUP]] = (one_hot.columns == modal).astype("float64")
    return FittedPropensity(
        gradient_boosting=trees,
        logistic=linear,
        config=config,
        log_odds_shift=_log_odds_shift(target, config),
        columns=list(features.columns),
        groups=groups,
        reference=reference,
    )


def evaluation_sample(target: np.ndarray, config: PropensityConfig) -> np.ndarray:
    """Positions (ascending) of the training rows the out-of-fold evaluation uses: all of
    them, or above ``oof_max_rows`` a fixed-seed sample of that many, stratified by
    response (each class keeps its share, rounded, and at least ``folds`` rows)."""
    rows = len(target)
    cap = config.oof_max_rows
    if cap is None or rows <= int(cap):
        return np.arange(rows)
    rng = np.random.default_rng(config.random_state)
    positives = np.flatnonzero(target == 1)
    negatives = np.flatnonzero(target != 1)
    folds = int(config.folds)
    keep_positives = round(int(cap) * len(positives) / rows)
    keep_positives = min(max(keep_positives, folds), len(positives), int(cap) - folds)
    picked = np.concatenate(
        [
            rng.choice(positives, keep_positives, replace=False),
            rng.choice(negatives, int(cap) - keep_positives, replace=False),
        ]
    )
    return np.sort(picked)


def out_of_fold_predictions(data: PropensityData, config: PropensityConfig) -> pd.DataFrame:
    """Stratified K-fold out-of-fold scores of the training customers, both learners.

    One row per evaluated training customer and model: customer_id, model_name
    (gradient_boosting, logistic_baseline, and blend when blend_weight > 0), is_served,
    fold (1-based), has_responded, oof_score. Each fold's learners are fitted on the other
    folds only. Every training customer is evaluated unless there are more than
    ``oof_max_rows``: then the stratified sample of ``evaluation_sample``.
    """
    with SKLEARN_IMPORT_LOCK:
        from sklearn.model_selection import StratifiedKFold

    validate_target(data.target, int(config.folds), data.campaign_id)
    sample = evaluation_sample(data.target, config)
    features = data.training_features.iloc[sample].reset_index(drop=True)
    target = data.target[sample]
    customers = data.customer_ids[data.is_training][sample]
    values = _matrix(features)
    splitter = StratifiedKFold(int(config.folds), shuffle=True, random_state=config.random_state)
    splits = list(splitter.split(values, target))

    def fold_scores(fold: int) -> list[pd.DataFrame]:
        train, test = splits[fold - 1]
        fitted = fit_propensity(
            features.iloc[train], target[train], config, data.groups, len(data.target)
        )
        log_odds = fitted.log_odds(values[test])
        names = ["gradient_boosting", "logistic_baseline"]
        if fitted.served_model == BLEND:
            names.append(BLEND)
        return [
            pd.DataFrame(
                {
                    KEY: customers[test],
                    "model_name": name,
                    "is_served": name == fitted.served_model,
                    "fold": fold,
                    TARGET: target[test].astype(bool),
                    "oof_score": _expit(log_odds[name]),
                }
            )
            for name in names
        ]

    # folds side by side in threads when each fit runs on one OpenMP thread (few rows):
    # the trees' loops release the GIL, and each fold's result is its own, in fold order
    threads = _THREADS if max(len(train) for train, _ in splits) < _FEW_ROWS else 1
    with ThreadPoolExecutor(threads) as pool:
        frames = [
            frame for scores in pool.map(fold_scores, range(1, len(splits) + 1)) for frame in scores
        ]
    result = pd.concat(frames, ignore_index=True)
    return result.sort_values(["model_name", KEY], kind="stable").reset_index(drop=True)


def _linear_contributions(
    fitted: FittedPropensity, transformed: np.ndarray, columns: dict[str, list[int]]
) -> np.ndarray:
    """Exact occlusion contributions of the logistic model's log-odds, per group: the
    pipeline before the classifier transforms each column on its own, so the log-odds
    are additive over columns of the transformed matrix. One block of rows at a time
    (the per-column products stay in cache)."""
    coefficients = fitted.logistic[-1].coef_.ravel()
    reference = fitted.reference[fitted.columns].to_numpy(dtype="float64")[None, :]
    reference = fitted.linear_input(reference)
    result = np.empty((len(transformed), len(columns)))
    for block in _row_blocks(len(transformed)):
        per_column = (transformed[block] - reference) * coefficients
        for group, positions in enumerate(columns.values()):
            # a one-column group is its column: no gathered copy to sum over
            result[block, group] = (
                per_column[:, positions[0]]
                if len(positions) == 1
                else per_column[:, positions].sum(axis=1)
            )
    return result


# below this many rows, the trees fit and predict on one OpenMP thread: synchronising
# threads costs more than the work (on a busy machine many times more: a 16,000-row fit
# took 15 s on two threads and 1.1 s on one). A prediction is the same either way (each
# row alone); a fit, measured identical here, could differ only in float summation order.
_FEW_ROWS = 20_000


def _few_rows_one_thread(rows: int) -> Any:
    """A context limiting OpenMP to one thread when ``rows`` is below ``_FEW_ROWS``."""
    from contextlib import nullcontext

    if rows >= _FEW_ROWS:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="openmp")


def _tree_decision(model: Any, values: np.ndarray) -> np.ndarray:
    """The trees' raw log-odds (one OpenMP thread for few rows)."""
    with _few_rows_one_thread(len(values)):
        return model.decision_function(values)


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
    if len(values) < 2 * _BLOCK_ROWS or split["is_categorical"].any():
        return None, None
    sample = values[:: len(values) // _BLOCK_ROWS]
    if len(np.unique(_path_keys(split, sample))) > len(sample) // 4:
        return None, None
    _, first, inverse = np.unique(_path_keys(split, values), return_index=True, return_inverse=True)
    return first, inverse


class _TreeOcclusion:
    """The trees' raw log-odds of every row and, per reason-code group, the exact change
    when the group alone is set to the reference (the trees' part of
    ``group_contributions``), without re-predicting every row once per group.

    A tree reaches its leaf along one path; setting a group to the reference changes the
    result only if that path crosses a split on the group's columns in the direction the
    reference does not take. Per tree, each leaf records the groups for which its path
    does so (``diverges``). A row whose leaf does not diverge for a group keeps its leaf:
    that tree adds exactly 0. The other rows are predicted once more by a copy of the
    tree in which every split on the group's columns sends all rows the way the
    reference goes (both children set to that child), which is the tree's value with
    the group at the reference. Each group's contribution is the sum, over trees in
    order, of (value of the row's leaf - value with the group at the reference): equal
    to the brute-force difference of the two ensemble sums up to rounding (1e-15), and
    exactly 0 where no leaf changes. The base log-odds are the baseline plus each tree's
    leaf value, added in the order scikit-learn adds them: bit-identical to
    ``decision_function``.
    """

    def __init__(
        self, fitted: FittedPropensity, values: np.ndarray, columns: dict[str, list[int]]
    ) -> None:
        with SKLEARN_IMPORT_LOCK:
            from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

        model = fitted.gradient_boosting
        if model.n_trees_per_iteration_ != 1:
            raise ValueError("reason codes need a binary response model (one tree per iteration)")
        self.known_categories, self.feature_map = model._bin_mapper.make_known_categories_bitsets()
        reference = fitted.reference[fitted.columns].to_numpy(dtype="float64")[None, :]
        group_of = np.full(values.shape[1], -1)
        for position, group_columns in enumerate(columns.values()):
            group_of[group_columns] = position
        if model._preprocessor is not None:
            # categorical features: the trees see the model's encoding, categorical
            # columns first (as decision_function does)
            categorical = np.asarray(model.is_categorical_, dtype=bool)
            group_of = group_of[np.r_[np.flatnonzero(categorical), np.flatnonzero(~categorical)]]
            values = _matrix(model._preprocessor.transform(values))
            reference = _matrix(model._preprocessor.transform(reference))
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

        # blocks side by side in threads (the predictions and numpy's indexing release the
        # GIL), each prediction on one OpenMP thread: the pass makes thousands of small
        # predictions, and with two OpenMP threads each waits at a barrier for a thread
        # the other dbt thread's work has taken the core from (in a full 1M build with two
        # dbt threads this model took 30 s against 13 s run alone). Each block writes only
        # its own rows, so the result does not depend on the threads' timing.
        def add_block(block: slice) -> None:
            self._add_block(unique[block], base[block], contributions[block], 1)

        with ThreadPoolExecutor(_THREADS) as pool:
            list(pool.map(add_block, _row_blocks(len(unique))))
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


def group_contributions(
    fitted: FittedPropensity,
    features: pd.DataFrame | np.ndarray,
    trees: _TreeOcclusion | None = None,
    transformed: np.ndarray | None = None,
) -> np.ndarray:
    """Rows x groups (in ``fitted.groups`` order): the served log-odds minus the served
    log-odds with that group set to its reference value (see the module docstring for
    how it is computed without re-predicting every row per group). ``trees``: the rows'
    ``_TreeOcclusion``, ``transformed``: the logistic model's transformed rows, when
    already computed."""
    if isinstance(features, pd.DataFrame):
        features = features[fitted.columns]
    values = _matrix(features)
    columns = _group_positions(fitted)
    weight = float(fitted.config.blend_weight) if fitted.served_model == BLEND else 0.0
    contributions = np.zeros((len(values), len(columns)))
    if weight > 0:
        if transformed is None:
            transformed = fitted.linear_input(values)
        contributions += weight * _linear_contributions(fitted, transformed, columns)
    if weight < 1:
        trees = trees if trees is not None else _TreeOcclusion(fitted, values, columns)
        contributions += (1 - weight) * trees.contributions
    return contributions


def _group_positions(fitted: FittedPropensity) -> dict[str, list[int]]:
    """Each reason-code group's column positions in ``fitted.columns``."""
    position = {name: index for index, name in enumerate(fitted.columns)}
    return {
        group: [position[column] for column in group_columns]
        for group, group_columns in fitted.groups.items()
    }


def reason_codes(
    fitted: FittedPropensity,
    features: pd.DataFrame | np.ndarray,
    top: int = 3,
    trees: _TreeOcclusion | None = None,
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


def final_scores(data: PropensityData, config: PropensityConfig) -> pd.DataFrame:
    """Refit on every training row and score every customer, with reason codes.

    One row per customer: customer_id, is_training, has_responded (null when not
    contacted), propensity_score, baseline_score (the logistic model),
    reason_1..3_feature / _contribution.
    """
    validate_target(data.target, int(config.folds), data.campaign_id)
    fitted = fit_propensity(data.training_features, data.target, config, data.groups)
    values = _matrix(data.features[fitted.columns])
    # the trees' scores and reason-code changes, in one pass over the trees
    trees = _TreeOcclusion(fitted, values, _group_positions(fitted))
    transformed = fitted.linear_input(values)
    log_odds = fitted.log_odds(values, trees=trees.base, transformed=transformed)
    responded = np.full(len(values), None, dtype=object)
    responded[data.is_training] = data.target.astype(bool)
    scores = pd.DataFrame(
        {
            KEY: data.customer_ids,
            TRAINING: data.is_training,
            TARGET: pd.array(responded, dtype="boolean"),
            "propensity_score": _expit(log_odds[fitted.served_model]),
            "baseline_score": _expit(log_odds["logistic_baseline"]),
        }
    )
    reasons = reason_codes(fitted, values, trees=trees, transformed=transformed)
    return pd.concat([scores, reasons], axis=1)


def feature_list(data: PropensityData) -> pd.DataFrame:
    """One row per model column: feature_name, feature_position, feature_group (the
    name reason codes use), training_median and missing share among training rows."""
    training = data.training_features
    rows = []
    position = 0
    for group, columns in data.groups.items():
        for column in columns:
            position += 1
            rows.append(
                {
                    "feature_name": column,
                    "feature_position": position,
                    "feature_group": group,
                    "training_median": float(training[column].median()),
                    "training_missing_share": float(training[column].isna().mean()),
                }
            )
    return pd.DataFrame(rows)
