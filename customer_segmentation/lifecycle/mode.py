"""Fit a new version, or score with the registered one: each fit step's mode and checks.

Each ``ml_segment_*`` model is one step of the fit. In ``score`` mode (the default
once a model exists) a step returns the table it already holds, the active model
version that ``segment_model_registry`` records, without fitting and without importing
scikit-learn; in ``retrain`` mode it fits a new version (``fingerprints``), registered
only when something changed.

Nothing here imports scikit-learn or dbt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from customer_segmentation.lifecycle.fingerprints import fingerprint

MODES = ("score", "retrain")


@dataclass(frozen=True)
class Lifecycle:
    """One fitted model's lifecycle: its name in messages and the vars that set it."""

    name: str
    mode_var: str
    allow_first_fit_var: str

    @property
    def retrain_hint(self) -> str:
        """How to fit a new version, in every message that asks for one (and in README
        and the retrain_hint macro, tested equal): dbt reads one --vars (a second
        replaces the first), so a user who builds with a vars file adds the mode to it
        instead of swapping it for a one-var --vars."""
        return (
            f"add `{self.mode_var}: retrain` to the vars you build with (your --vars file or "
            f"string; `--vars '{{{self.mode_var}: retrain}}'` only when you pass no other vars), "
            "run `dbt build` once, then remove it so that later builds score with the new version"
        )


SEGMENTATION = Lifecycle("segmentation", "segment_mode", "segment_allow_first_fit")
PROPENSITY = Lifecycle("propensity", "propensity_mode", "propensity_allow_first_fit")
RETRAIN_HINT = SEGMENTATION.retrain_hint


def resolve_mode(
    requested: object,
    previous: pd.DataFrame | None,
    allow_first_fit: object,
    model: str,
    lifecycle: Lifecycle = SEGMENTATION,
) -> str:
    """``"fit"`` or ``"score"`` for one fit step.

    Args:
        requested: the mode var (``lifecycle.mode_var``), ``score`` (default) or ``retrain``.
        previous: the step's table as the last build left it, or None when there is
            none (or it predates the lifecycle and has no ``fit_fingerprint``).
        allow_first_fit: in score mode with no model yet, fit one (True) or fail (False).
        model: the step's name, for the messages.
        lifecycle: whose step it is (its vars, for the messages).
    """
    mode = "score" if requested in (None, "") else str(requested).lower()
    if mode not in MODES:
        raise ValueError(
            f"var {lifecycle.mode_var} is {requested!r}; use 'score' (score every customer "
            "with the registered model) or 'retrain' (fit and register a new version)"
        )
    if mode == "retrain":
        return "fit"
    if previous is not None:
        return "score"
    if _as_bool(allow_first_fit):
        return "fit"
    raise ValueError(
        f"No registered {lifecycle.name} model: {model} has not been fitted yet, "
        f"{lifecycle.mode_var} is 'score' and var {lifecycle.allow_first_fit_var} is false. "
        f"Set {lifecycle.allow_first_fit_var}: true, or fit and register the first version: "
        f"{lifecycle.retrain_hint}"
    )


def step_mode(
    meta: dict, previous: pd.DataFrame | None, model: str, lifecycle: Lifecycle = SEGMENTATION
) -> str:
    """``resolve_mode`` with the settings of a step's ``config.meta["lifecycle"]``
    (``mode`` and ``allow_first_fit``, set from the vars)."""
    settings = meta.get("lifecycle") or {}
    return resolve_mode(
        settings.get("mode"), previous, settings.get("allow_first_fit", True), model, lifecycle
    )


def score_or_fit(
    previous: pd.DataFrame | None,
    meta: dict,
    model: str,
    check: Callable[[pd.DataFrame], None],
    fit: Callable[[], pd.DataFrame],
    lifecycle: Lifecycle = SEGMENTATION,
) -> pd.DataFrame:
    """One fit step's table: in score mode the registered ``previous``, once
    ``check(previous)`` accepts it (it raises saying what changed since the fit);
    otherwise ``fit()``, a new version.

    Args:
        previous: ``previous_fit`` of the step.
        meta: the step's ``config.meta`` (its ``lifecycle`` settings, see ``step_mode``).
        model: the step's name, for the messages.
        check: refuses a registered table the inputs or configuration no longer match.
        fit: fits the step and returns its table with its ``fit_fingerprint``.
        lifecycle: whose step it is.
    """
    if step_mode(meta, previous, model, lifecycle) == "score":
        check(previous)
        return previous
    return fit()


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def previous_fit(session: Any, relation: object) -> pd.DataFrame | None:
    """The table a fit step left in the last build (``dbt.this``), or None when it does
    not exist or was written before the lifecycle (no ``fit_fingerprint`` column).

    Args:
        session: the session dbt passes to a Python model (``frames.read_previous``).
        relation: the step's own relation, ``dbt.this``.
    """
    from customer_segmentation.frames import read_previous

    previous = read_previous(session, relation)
    if previous is None or "fit_fingerprint" not in previous.columns or previous.empty:
        return None
    return previous


def check_step_configuration(
    previous: pd.DataFrame, upstream: str, config: object, model: str, settings: str
) -> None:
    """Refuse to score with a registered step fitted under another configuration: its
    ``fit_fingerprint`` must equal the hash of its (registered) upstream fingerprint and
    the configuration now.

    Args:
        previous: the registered table of the step.
        upstream: fit_fingerprint of the registered step it builds on.
        config: the step's configuration now, hashed as when it was fitted.
        model: the step's name; settings: where its configuration is set.
    """
    if fingerprint(upstream, config) != previous["fit_fingerprint"].iloc[0]:
        raise ValueError(
            f"The configuration of {model} ({settings}) changed since the registered "
            f"segmentation model was fitted, and score mode does not refit. Restore the "
            f"configuration, or fit a new version: {RETRAIN_HINT}"
        )


def check_registered_features(registered: pd.DataFrame, available: Sequence[str]) -> None:
    """Refuse to score with a registered model whose features the inputs no longer have.

    Args:
        registered: the registered ml_segment_preprocessing rows.
        available: the feature columns of int_customer_features now.
    """
    version = registered["fit_fingerprint"].iloc[0]
    missing = [name for name in registered["feature_name"] if name not in available]
    if missing:
        raise ValueError(
            f"The registered segmentation model (preprocessing {version}) uses features "
            f"{missing} that int_customer_features no longer has (available: "
            f"{sorted(available)}). Restore the input or feature family that provides "
            f"them, or fit a model on the current features: {RETRAIN_HINT}"
        )


def check_feature_configuration(
    registered: pd.DataFrame, configured: Sequence[tuple[str, str, str]]
) -> None:
    """Refuse to score with a registered model fitted under another feature configuration.

    Args:
        registered: the registered ml_segment_preprocessing rows.
        configured: (feature, impute strategy, transform) as the configuration now
            asks, in order.
    """
    version = registered["fit_fingerprint"].iloc[0]
    ordered = registered.sort_values("feature_position")
    fitted = [
        (str(name), str(impute), str(transform))
        for name, impute, transform in zip(
            ordered["feature_name"], ordered["impute_strategy"], ordered["transform"], strict=True
        )
    ]
    if fitted != [tuple(item) for item in configured]:
        raise ValueError(
            f"The feature configuration changed since the registered segmentation model "
            f"(preprocessing {version}) was fitted: it was fitted with {fitted}, the "
            f"configuration (var segment_features, ml_segment_preprocessing's "
            f"feature_preprocessing) now asks for {list(configured)}. Restore the "
            f"configuration, or fit a new version: {RETRAIN_HINT}"
        )
