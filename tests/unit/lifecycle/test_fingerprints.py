"""Model versions: fingerprints of configurations and of the training data."""

from __future__ import annotations

import pandas as pd

from customer_segmentation.lifecycle.fingerprints import fingerprint, frame_fingerprint


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
