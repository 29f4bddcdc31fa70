"""The lifecycle helpers: mode resolution, fingerprints and the registered-model checks."""

from __future__ import annotations

import pandas as pd
import pytest

from customer_segmentation.lifecycle import (
    check_feature_configuration,
    check_registered_features,
    fingerprint,
    frame_fingerprint,
    resolve_mode,
)

REGISTERED = pd.DataFrame(
    {
        "feature_name": ["income", "recency_days"],
        "feature_position": [1, 2],
        "impute_strategy": ["median", "max"],
        "transform": ["log1p", "none"],
        "fit_fingerprint": ["abc", "abc"],
    }
)


@pytest.mark.parametrize(
    ("requested", "has_model", "allow_first_fit", "expected"),
    [
        ("score", True, False, "score"),
        (None, True, True, "score"),
        ("score", False, True, "fit"),
        ("retrain", True, False, "fit"),
        ("RETRAIN", False, "false", "fit"),
    ],
)
def test_mode(requested, has_model, allow_first_fit, expected) -> None:
    previous = REGISTERED if has_model else None
    assert resolve_mode(requested, previous, allow_first_fit, "m") == expected


def test_score_without_a_model_and_first_fit_off_says_what_to_run() -> None:
    with pytest.raises(ValueError, match=r"segment_mode: retrain"):
        resolve_mode("score", None, "False", "ml_segment_centroids")


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="var segment_mode is 'refit'"):
        resolve_mode("refit", None, True, "m")


def test_frame_fingerprint_ignores_row_order_but_not_values() -> None:
    frame = pd.DataFrame({"customer_id": ["a", "b"], "x": [1.0, 2.0]})
    shuffled = frame.iloc[::-1]
    assert frame_fingerprint(frame) == frame_fingerprint(shuffled)
    assert frame_fingerprint(frame) != frame_fingerprint(frame.assign(x=[1.0, 2.5]))
    assert fingerprint("a", {"k": 1, "j": 2}) == fingerprint("a", {"j": 2, "k": 1})
    assert fingerprint("a", {"k": 1}) != fingerprint("a", {"k": 2})


def test_registered_features_must_exist() -> None:
    check_registered_features(REGISTERED, ["income", "recency_days", "other"])
    with pytest.raises(ValueError, match=r"\['recency_days'\] that int_customer_features"):
        check_registered_features(REGISTERED, ["income"])


def test_feature_configuration_must_match() -> None:
    configured = [("income", "median", "log1p"), ("recency_days", "max", "none")]
    check_feature_configuration(REGISTERED, configured)
    with pytest.raises(ValueError, match="feature configuration changed"):
        check_feature_configuration(REGISTERED, [("income", "median", "none"), configured[1]])
