"""The lifecycle helpers: mode resolution, fingerprints and the registered-model checks."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR

from customer_segmentation.lifecycle import (
    RETRAIN_HINT,
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
    with pytest.raises(ValueError) as raised:
        resolve_mode("score", None, False, "ml_segment_centroids")
    assert str(raised.value).endswith(RETRAIN_HINT)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="var segment_mode is 'refit'"):
        resolve_mode("refit", None, True, "m")


def test_frame_fingerprint_ignores_row_order_but_not_values() -> None:
    frame = pd.DataFrame({"customer_id": ["a", "b"], "x": [1.0, 2.0]})
    shuffled = frame.iloc[::-1]
    assert frame_fingerprint(frame) == frame_fingerprint(shuffled)
    assert frame_fingerprint(frame) != frame_fingerprint(frame.assign(x=[1.0, 2.5]))
    # last-bit noise of a parallel sum is not a change of the data
    assert frame_fingerprint(frame) == frame_fingerprint(frame.assign(x=[1.0 + 1e-15, 2.0]))


def test_frame_fingerprint_ignores_the_noise_of_a_sum_that_cancels() -> None:
    """Purchases minus refunds summed in parallel give 0 in one build and ~1e-14 in the
    next (seen on the demo data): the same data, so the same model version."""
    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "money": [0.0, 120.5, 3.0]})
    noisy = frame.assign(money=[2.842170943040401e-14, 120.5, 3.0])
    negative = frame.assign(money=[-1e-13, 120.5, 3.0])
    assert frame_fingerprint(frame) == frame_fingerprint(noisy) == frame_fingerprint(negative)
    assert frame_fingerprint(frame) != frame_fingerprint(frame.assign(money=[0.01, 120.5, 3.0]))
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


def _legacy_frame_fingerprint(frame: pd.DataFrame, significant_digits: int = 6) -> str:
    """frame_fingerprint as first written (copy, round, hash_pandas_object, sort): the
    registered models' training_fingerprint values were computed this way."""
    import hashlib

    import numpy as np

    rounded = frame.copy()
    for column in rounded.columns:
        if pd.api.types.is_float_dtype(rounded[column]):
            values = rounded[column].to_numpy(dtype=float)
            scalable = np.isfinite(values) & (values != 0)
            exponent = np.zeros_like(values)
            exponent[scalable] = np.floor(np.log10(np.abs(values[scalable])))
            scale = 10.0 ** (significant_digits - 1 - exponent)
            rounded[column] = np.where(scalable, np.round(values * scale) / scale, values)
    row_hashes = pd.util.hash_pandas_object(rounded, index=False).sort_values().to_numpy()
    digest = hashlib.sha256(",".join(frame.columns).encode())
    digest.update(row_hashes.tobytes())
    return digest.hexdigest()[:16]


def test_frame_fingerprint_is_the_value_registered_models_recorded() -> None:
    import numpy as np

    rng = np.random.default_rng(8)
    n = 5_000
    frame = pd.DataFrame(
        {
            "customer_id": pd.array([f"C{i:06d}" for i in rng.permutation(n)], dtype="str"),
            "money": np.round(rng.lognormal(5, 2, n), 2),
            "with_nulls": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
            "edge_cases": rng.choice([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-3, 3.5], n),
            "count": rng.integers(0, 50, n),
            "small": rng.normal(size=n).astype("float32"),
        }
    )
    with_null_ids = frame.assign(customer_id=frame["customer_id"].where(rng.random(n) < 0.9))
    object_ids = frame.assign(customer_id=frame["customer_id"].astype(object))
    for case in (frame, with_null_ids, object_ids, frame[["money"]], frame.iloc[:0]):
        assert frame_fingerprint(case) == _legacy_frame_fingerprint(case)
