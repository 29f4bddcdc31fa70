"""The propensity model's fit steps: fit and register a version, or return the registered one.

As for segmentation (``lifecycle.mode``): in score mode (the default once a model
exists) each ``ml_propensity_*`` step returns the table it already holds, after checking
that the configuration it was fitted under is the configuration now, without reading the
training rows or importing scikit-learn; in retrain mode (var propensity_mode, which
follows segment_mode when unset) it fits. Every row carries ``fit_fingerprint``, the
model version (a hash of the configuration and the training data), and
``config_fingerprint``.

The configuration is what the model depends on besides its training rows: the learner
settings, the target (campaign or outcome), the feature table's columns and types, the
protected attributes kept out, and the segmentation version whose segments are features.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from customer_segmentation.frames import column_types, columns_of, read_frame
from customer_segmentation.lifecycle.fingerprints import fingerprint, frame_fingerprint
from customer_segmentation.lifecycle.mode import PROPENSITY, score_or_fit
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import (
    KEY,
    TARGET,
    PropensityData,
    feature_list,
    read_propensity_data,
)

TARGET_COLUMNS = (
    "campaign_id",
    "contacted_date",
    "outcome_name",
    "outcome_source",
    "outcome_direction",
)


@dataclass(frozen=True)
class PropensityInputs:
    """The propensity steps' inputs as ``dbt.ref`` gives them (read through ``frames``):
    read only when a step fits, except their schema and the small tables."""

    features: Any
    attributes: Any
    campaign: Any
    preprocessing: Any
    centroids: Any

    def read(self) -> PropensityData:
        """The training rows (contacted customers) as a PropensityData."""
        return read_propensity_data(
            features=self.features,
            attributes=self.attributes,
            campaign=self.campaign,
            preprocessing=self.preprocessing,
            centroids=self.centroids,
            training_only=True,
        )

    def configuration(self, meta: dict | None) -> dict:
        """What the model depends on besides its training rows (module docstring)."""
        campaign = read_frame(self.campaign)
        target = {
            column: str(campaign[column].iloc[0]) if len(campaign) else None
            for column in TARGET_COLUMNS
            if column in campaign.columns
        }
        if target.get("outcome_source") == "customers":
            # a customers outcome is read at the as_of_date, which moves with every
            # day's data: the date is data, not configuration
            target.pop("contacted_date", None)
        fingerprints = read_frame(self.centroids, ["fit_fingerprint"])["fit_fingerprint"]
        segmentation = fingerprints.max() if len(fingerprints) else None
        return {
            "learners": asdict(PropensityConfig.from_meta(meta)),
            "target": target,
            # the types as the backend names them: a fit on another engine is another version
            "features": [[name, kind] for name, kind in column_types(self.features)],
            "protected": sorted(name for name in columns_of(self.attributes) if name != KEY),
            "segmentation_version": segmentation,
        }


def _text(configuration: dict) -> str:
    return json.dumps(configuration, sort_keys=True, default=str)


def registered(table: pd.DataFrame, version: str, configuration: dict) -> pd.DataFrame:
    """``table`` with its version (``fit_fingerprint``), ``config_fingerprint`` and the
    configuration as JSON (``configuration``)."""
    return table.assign(
        fit_fingerprint=version,
        config_fingerprint=fingerprint(_text(configuration)),
        configuration=_text(configuration),
    )


def model_version(data: PropensityData, configuration: dict) -> str:
    """The version a fit on ``data`` under ``configuration`` registers."""
    training = data.training_features.assign(**{KEY: data.customer_ids[data.is_training]})
    training[TARGET] = data.target
    return fingerprint(fingerprint(_text(configuration)), frame_fingerprint(training))


def check_configuration(previous: pd.DataFrame, configuration: dict, model: str) -> None:
    """Refuse to score with a registered step fitted under another configuration,
    naming what changed and what to run."""
    if previous["config_fingerprint"].iloc[0] == fingerprint(_text(configuration)):
        return
    fitted = _flat(json.loads(previous["configuration"].iloc[0]))
    now = _flat(json.loads(_text(configuration)))
    changed = [
        f"{key} was {_shown(fitted.get(key))}, is {_shown(now.get(key))}"
        for key in sorted(set(fitted) | set(now))
        if fitted.get(key) != now.get(key)
    ]
    raise ValueError(
        f"The configuration of the propensity model changed since the registered version "
        f"{previous['fit_fingerprint'].iloc[0]} was fitted ({model}), and score mode does not "
        f"refit. Changed: {'; '.join(changed)}. Restore the configuration, or fit a new "
        f"version: {PROPENSITY.retrain_hint}"
    )


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested settings as ``{"learners.model": "auto", ...}``."""
    if not isinstance(value, dict):
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, item in value.items():
        flat.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def propensity_step(
    name: str,
    inputs: PropensityInputs,
    previous: pd.DataFrame | None,
    meta: dict | None,
    fit: Any,
) -> pd.DataFrame:
    """One propensity fit step's table: the registered ``previous`` in score mode (once
    its configuration is checked), else ``fit(data, config)`` on the training rows,
    registered as a new version.

    Args:
        name: the step's model name, for the messages.
        inputs: the steps' inputs.
        previous: the step's table as the last build left it (``previous_fit``).
        meta: the step's ``config.meta`` (its ``propensity`` and ``lifecycle`` settings).
        fit: ``(PropensityData, PropensityConfig) -> DataFrame``, the step's fit.
    """
    meta = dict(meta or {})
    configuration = inputs.configuration(meta)

    def fit_version() -> pd.DataFrame:
        data = inputs.read()
        table = fit(data, PropensityConfig.from_meta(meta))
        return registered(table, model_version(data, configuration), configuration)

    return score_or_fit(
        previous,
        meta,
        name,
        lambda registered_table: check_configuration(registered_table, configuration, name),
        fit_version,
        PROPENSITY,
    )


def fit_feature_list(data: PropensityData, config: PropensityConfig) -> pd.DataFrame:
    """ml_propensity_features' fit: the model's columns (``data.feature_list``)."""
    return feature_list(data)
