"""Small synthetic propensity data for the unit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import prepare_propensity_data

FAST = PropensityConfig(folds=3, gradient_boosting={"max_iter": 30})


def synthetic(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Response driven by 'signal' only; 'noise' is unrelated; 60% contacted."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    responded = rng.random(n) < 1 / (1 + np.exp(-(2.5 * signal - 2.0)))
    contacted = rng.random(n) < 0.6
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "is_training": contacted,
            "has_responded": np.where(contacted, responded, None),
            "signal": signal,
            "noise": rng.normal(size=n),
            "spend": np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2.0, 50.0, n)),
        }
    )


def data(frame: pd.DataFrame, segments: np.ndarray | None = None):
    return prepare_propensity_data(frame, ["gender", "age_band"], "K1", segments)
