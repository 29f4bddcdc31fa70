"""Fit or score: mode resolution, the retrain hint and the registered-model checks."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR

from customer_segmentation.lifecycle.mode import (
    PROPENSITY,
    RETRAIN_HINT,
    check_feature_configuration,
    check_registered_features,
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
    with pytest.raises(
        ValueError, match=r"No registered propensity model.*propensity_mode: retrain"
    ):
        resolve_mode("score", None, "false", "ml_propensity_model", PROPENSITY)
    with pytest.raises(ValueError, match=r"var propensity_mode is 'refit'"):
        resolve_mode("refit", REGISTERED, True, "ml_propensity_model", PROPENSITY)


def test_the_retrain_hint_is_one_text_everywhere() -> None:
    """The library's messages, the retrain_hint macro the drift warning prints and the
    README give the same hint, which keeps a user's other vars."""
    macro = (PROJECT_DIR / "macros" / "lifecycle" / "retrain_hint.sql").read_text()
    assert re.findall(r'return\("(.*)"\)', macro) == [RETRAIN_HINT]
    drift_test = (PROJECT_DIR / "macros" / "tests" / "feature_drift_below.sql").read_text()
    assert "customer_segmentation.retrain_hint()" in drift_test
    readme = (PROJECT_DIR / "README.md").read_text()
    assert RETRAIN_HINT in readme
    # no instruction to run a one-var --vars that would replace the user's vars
    assert "`dbt build --vars '{segment_mode: retrain}'`" not in readme
    assert "vars you build with" in RETRAIN_HINT and "then remove it" in RETRAIN_HINT
    # the propensity model's, in its docs
    propensity_docs = (PROJECT_DIR / "docs" / "propensity.md").read_text()
    assert PROPENSITY.retrain_hint in propensity_docs
    assert PROPENSITY.retrain_hint == RETRAIN_HINT.replace("segment_mode", "propensity_mode")
    with pytest.raises(ValueError) as raised:
        resolve_mode("score", None, False, "ml_segment_centroids")
    assert str(raised.value).endswith(RETRAIN_HINT)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="var segment_mode is 'refit'"):
        resolve_mode("refit", None, True, "m")


def test_registered_features_must_exist() -> None:
    check_registered_features(REGISTERED, ["income", "recency_days", "other"])
    with pytest.raises(ValueError, match=r"\['recency_days'\] that int_customer_features"):
        check_registered_features(REGISTERED, ["income"])


def test_feature_configuration_must_match() -> None:
    configured = [("income", "median", "log1p"), ("recency_days", "max", "none")]
    check_feature_configuration(REGISTERED, configured)
    with pytest.raises(ValueError, match="feature configuration changed"):
        check_feature_configuration(REGISTERED, [("income", "median", "none"), configured[1]])
