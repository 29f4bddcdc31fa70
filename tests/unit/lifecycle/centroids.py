"""Centroid tables for the lifecycle tests."""

from __future__ import annotations

import pandas as pd


def centroid_rows(
    points: dict[int, tuple[float, ...]], fingerprint: str, names: tuple[str, ...] = ("x", "y")
) -> pd.DataFrame:
    """Long centroid rows: one per segment and feature (standardized coordinates)."""
    return pd.DataFrame(
        [
            {
                "segment_id": segment_id,
                "feature_name": name,
                "centroid_scaled": float(value),
                "centroid_value": float(value),
                "fit_fingerprint": fingerprint,
            }
            for segment_id, point in points.items()
            for name, value in zip(names, point, strict=True)
        ]
    )
