"""The training-data baseline that feature drift is measured against.

At fit time, for every feature the segmentation model keeps, the training values are
cut into fixed bins at their quantiles (``bins`` equal-frequency bins; edges that tie
are merged, so a feature with few distinct values gets fewer bins) plus one bin for
nulls, and the training share of each bin is stored with the feature's mean, standard
deviation and 10th/50th/90th percentiles. The ``feature_drift`` mart applies the same
bins to the customers scored now, in SQL, and compares: population stability index
(PSI), shift in mean and in quantiles. The baseline is computed only from the data the
registered model was fitted on, so a score-mode build never needs the training data.

Bin ``b`` (1-based) holds the values ``lower_edge < x <= upper_edge`` (no lower edge for
the first bin, no upper edge for the last); bin 0 holds the nulls.

Nothing here imports scikit-learn or dbt.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from customer_segmentation.lifecycle.fingerprints import frame_fingerprint
from customer_segmentation.lifecycle.mode import RETRAIN_HINT

QUANTILES = (0.1, 0.5, 0.9)


def quantile_edges(values: np.ndarray, bins: int) -> np.ndarray:
    """The distinct inner bin edges of ``values`` (non-null): the quantiles at 1/bins,
    2/bins, ... (linear interpolation, as SQL's percentile_cont), ties merged."""
    if values.size == 0:
        return np.array([], dtype=float)
    edges = np.quantile(values, np.arange(1, bins) / bins)
    return np.unique(edges)


def fit_feature_bins(features: pd.DataFrame, names: Sequence[str], bins: int) -> pd.DataFrame:
    """The baseline table: one row per feature and bin (bin 0 = null values).

    Args:
        features: the training data, one row per customer, a column per feature.
        names: the model's kept features, in their model order.
        bins: how many equal-frequency bins to aim for (at least 2).

    Columns: feature_name, feature_position, bin_number, lower_edge, upper_edge,
    training_count, training_share, and per feature (the same on each of its rows)
    training_rows, training_mean, training_std_dev (population) and training_p10,
    training_p50, training_p90 (non-null values).
    """
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
        raise ValueError(
            f"ml_segment_feature_bins' bins (config.meta) must be an integer of at least 2, "
            f"got {bins!r}"
        )
    rows = []
    total = len(features)
    for position, name in enumerate(names, start=1):
        raw = features[name].to_numpy(dtype=float)
        values = raw[~np.isnan(raw)]
        has_values = values.size > 0
        # one sort per feature: the quantiles (each the same value np.quantile gives
        # alone) and the bin counts come from the sorted values
        ordered = np.sort(values)
        quantiles = (
            np.quantile(ordered, [*(np.arange(1, bins) / bins), *QUANTILES]) if has_values else []
        )
        edges = np.unique(quantiles[: bins - 1]) if has_values else np.array([], dtype=float)
        # bin b holds edges[b - 2] < x <= edges[b - 1]: the values up to each edge
        # ('right': x <= edge), differenced
        up_to = np.searchsorted(ordered, edges, side="right")
        counts = np.diff(np.concatenate([[0], up_to, [values.size]]))
        stats = {
            "training_rows": total,
            "training_mean": float(values.mean()) if has_values else np.nan,
            "training_std_dev": float(values.std()) if has_values else np.nan,
            **{
                f"training_p{round(q * 100)}": float(quantiles[bins - 1 + index])
                if has_values
                else np.nan
                for index, q in enumerate(QUANTILES)
            },
        }
        lowers = [np.nan, np.nan, *edges]
        uppers = [np.nan, *edges, np.nan]
        bin_counts = [total - values.size, *counts]
        for number, count in enumerate(bin_counts):
            rows.append(
                {
                    "feature_name": name,
                    "feature_position": position,
                    "bin_number": number,
                    "lower_edge": lowers[number],
                    "upper_edge": uppers[number],
                    "training_count": int(count),
                    "training_share": count / total if total else np.nan,
                    **stats,
                }
            )
    return pd.DataFrame(rows)


def check_training_data(features: pd.DataFrame, preprocessing: pd.DataFrame) -> None:
    """Refuse to compute the baseline from data the registered model was not fitted on.

    Args:
        features: int_customer_features now, ordered by customer_id.
        preprocessing: the active ml_segment_preprocessing rows, with the
            ``training_fingerprint`` of the data they were fitted on.
    """
    names = preprocessing.sort_values("feature_position")["feature_name"].tolist()
    recorded = (
        preprocessing["training_fingerprint"].iloc[0]
        if "training_fingerprint" in preprocessing.columns
        else None
    )
    missing = [name for name in names if name not in features.columns]
    if (
        recorded is None
        or pd.isna(recorded)
        or missing
        or frame_fingerprint(features[["customer_id", *names]]) != recorded
    ):
        raise ValueError(
            "ml_segment_feature_bins needs the training data of the registered segmentation "
            "model to store its drift baseline, and the data in int_customer_features is not "
            "that data (the model was fitted before the baseline existed, or its bins setting "
            "changed after the input changed). Fit a new version, which stores its baseline: "
            f"{RETRAIN_HINT}"
        )
