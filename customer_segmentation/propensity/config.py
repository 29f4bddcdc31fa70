"""The propensity learners' settings, read from the Python models' ``config.meta``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODEL_CHOICES = ("auto", "gradient_boosting", "logistic_baseline", "blend")


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
    blend_weight: weight of the logistic model in the blend candidate's log-odds (0: no
        blend candidate).
    model: the served candidate: "auto" (the highest out-of-fold ROC-AUC, see
        ``cross_validation.choose_served``) or one of "gradient_boosting",
        "logistic_baseline", "blend" (forced).
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
    model: str = "auto"

    def __post_init__(self) -> None:
        # rendered from dbt vars in config.meta: text
        if isinstance(self.oof_max_rows, str):
            cap = self.oof_max_rows.strip()
            object.__setattr__(
                self, "oof_max_rows", None if cap.lower() in ("", "none", "null") else int(cap)
            )
        if isinstance(self.blend_weight, str):
            try:
                object.__setattr__(self, "blend_weight", float(self.blend_weight))
            except ValueError:
                raise ValueError(
                    f"blend_weight is {self.blend_weight!r} (var propensity_blend_weight or "
                    "config.meta): use a number in [0, 1]"
                ) from None
        for name in ("model", "logistic_log1p"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, value.strip())
        if self.model not in MODEL_CHOICES:
            raise ValueError(
                f"model is {self.model!r} (var propensity_model): use "
                + ", ".join(repr(choice) for choice in MODEL_CHOICES)
            )
        if self.model == "blend" and float(self.blend_weight) == 0:
            raise ValueError(
                "model is 'blend' (var propensity_model) but blend_weight is 0: set "
                "var propensity_blend_weight to a weight in (0, 1], or choose another model"
            )
        if int(self.folds) < 2:
            raise ValueError(f"folds is {self.folds}: use at least 2 in config.meta")
        if self.oof_max_rows is not None and int(self.oof_max_rows) < 2 * int(self.folds):
            raise ValueError(
                f"oof_max_rows is {self.oof_max_rows}: use null (no cap) or at least "
                f"2 x folds = {2 * int(self.folds)} in config.meta"
            )
        if not 0.0 <= float(self.blend_weight) <= 1.0:
            raise ValueError(
                f"blend_weight is {self.blend_weight} (var propensity_blend_weight or "
                "config.meta): use a value in [0, 1]"
            )
        if self.logistic_log1p not in ("skewed", "all", "none"):
            raise ValueError(
                f"logistic_log1p is {self.logistic_log1p!r} (var propensity_logistic_log1p or "
                "config.meta): use 'skewed', 'all' or 'none'"
            )
        if self.class_weight not in ("balanced", None):
            raise ValueError(f"class_weight is {self.class_weight!r}: use 'balanced' or null")

    @property
    def candidates(self) -> list[str]:
        """The candidate models, in tie-break order: the blend only with a logistic weight."""
        names = ["gradient_boosting", "logistic_baseline"]
        return [*names, "blend"] if float(self.blend_weight) > 0 else names

    def logistic_weight(self, model_name: str) -> float:
        """The logistic model's weight in a candidate's log-odds."""
        return {"gradient_boosting": 0.0, "logistic_baseline": 1.0}.get(
            model_name, float(self.blend_weight)
        )

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
