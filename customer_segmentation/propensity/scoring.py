"""The served model's final fit: the candidate chosen out of fold, refitted on every
contacted customer and exported as the rows SQL scores every customer from
(``export.model_rows``; the reason codes: ``registered``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from customer_segmentation.frames import read_frame
from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import PropensityData, validate_target
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.learners import FittedPropensity, fit_propensity


def served_candidate(oof_predictions: Any) -> str:
    """The candidate the out-of-fold evaluation chose (its ``is_served`` model_name), from
    ml_propensity_oof_predictions as ``dbt.ref`` returns it (``frames``) or a frame."""
    if not isinstance(oof_predictions, pd.DataFrame):
        columns = ["model_name", "is_served"]
        oof_predictions = read_frame(oof_predictions, columns, where="is_served", limit=1)
    names = oof_predictions.loc[oof_predictions["is_served"].astype(bool), "model_name"].unique()
    if len(names) != 1:
        raise ValueError(
            f"ml_propensity_oof_predictions serves {sorted(names)}: expected exactly one model"
        )
    return str(names[0])


def fit_served(data: PropensityData, config: PropensityConfig, served: str) -> FittedPropensity:
    """Both learners fitted on every training row, serving ``served``."""
    validate_target(data.target, int(config.folds), data.campaign_id)
    return fit_propensity(
        data.training_features,
        data.target,
        config,
        data.groups,
        served=served,
        categorical=data.categorical_columns,
    )


def served_model_rows(data: PropensityData, config: PropensityConfig, served: str) -> pd.DataFrame:
    """ml_propensity_model's fit: the served model fitted on every training row, as the
    rows SQL scores from (``export.model_rows``)."""
    return model_rows(fit_served(data, config, served), data)
