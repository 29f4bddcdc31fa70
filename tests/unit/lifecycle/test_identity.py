"""Stable segment identities: the rules that keep or renew a segment's id at a retrain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.lifecycle.identity import (
    IDENTITY_COLUMNS,
    IdentityRules,
    match_identities,
    with_identity_columns,
)

from .centroids import centroid_rows

RULES = IdentityRules()


def by_fit(matched: pd.DataFrame) -> pd.DataFrame:
    return matched.drop_duplicates("fitted_segment_id").set_index("fitted_segment_id")


def members(counts: dict[tuple[int, int], int]) -> pd.DataFrame:
    """Customers per (fitted segment, previous segment)."""
    rows = [(fitted, previous, n) for (fitted, previous), n in counts.items()]
    return pd.DataFrame(rows, columns=["fitted_segment_id", "previous_segment_id", "customers"])


PREVIOUS = centroid_rows({1: (0, 0), 2: (5, 5), 3: (-5, 5)}, "old")


def test_refit_segments_keep_the_ids_of_their_clear_counterparts() -> None:
    # the refit numbers them differently, moves two slightly, and one is new
    refit = centroid_rows({1: (5.2, 5.0), 2: (0.1, 0.0), 3: (9, -9)}, "new")
    matched = by_fit(match_identities(refit, PREVIOUS, RULES))
    assert matched["segment_id"].to_dict() == {1: 2, 2: 1, 3: 4}
    assert matched["keeps_identity"].to_dict() == {1: True, 2: True, 3: False}
    assert matched["identity_reason"].to_dict() == {
        1: "clear_match",
        2: "clear_match",
        3: "too_far",
    }
    assert matched.loc[1, "match_distance"] == pytest.approx(0.2)
    # its nearest alternative: another new segment (2) to the same previous one
    assert matched.loc[1, "runner_up_distance"] == pytest.approx(np.hypot(4.9, 5.0))
    # previous segment 3 was paired with the new one but too far: retired, id 3 unused
    assert matched.loc[3, "previous_segment_id"] == 3
    assert set(matched["previous_fit_fingerprint"]) == {"old"}
    assert (matched["shared_feature_share"] == 1.0).all()
    assert matched["members_compared"].isna().all()  # no scoring: membership not checked
    assert matched.loc[1, "identity_max_distance"] == 1.0


def test_first_fit_keeps_the_fit_ids() -> None:
    first = match_identities(centroid_rows({1: (0, 0), 2: (1, 1)}, "a"), None, RULES)
    assert (first["segment_id"] == first["fitted_segment_id"]).all()
    assert not first["keeps_identity"].any()
    assert set(first["identity_reason"]) == {"first_fit"}
    assert set(IDENTITY_COLUMNS) <= set(first.columns)
    assert first.columns[0] == "segment_id"


def test_versions_without_enough_shared_features_start_new_identities() -> None:
    """26 features restricted to 6 of them: the centroids may sit close on those six,
    but the segmentations are not comparable, so no id carries over."""
    features = tuple(f"f{i}" for i in range(26))
    previous = centroid_rows({1: (0,) * 26, 2: (3,) * 26}, "old", features)
    refit = centroid_rows({1: (0,) * 6, 2: (3,) * 6}, "new", features[:6])
    matched = by_fit(match_identities(refit, previous, RULES, highest_registered_id=7))
    assert matched["identity_reason"].tolist() == ["not_comparable"] * 2
    assert matched["segment_id"].tolist() == [8, 9]  # above every registered id
    assert matched["previous_segment_id"].isna().all()
    assert matched["shared_feature_share"].iloc[0] == pytest.approx(6 / 26)
    # the same refit with the rule relaxed keeps both
    relaxed = IdentityRules(min_shared_features=0.2)
    assert by_fit(match_identities(refit, previous, relaxed))["keeps_identity"].all()


@pytest.mark.parametrize(
    ("shift", "reason", "near_miss"),
    [(0.99, "clear_match", False), (1.0035, "too_far", True), (1.2, "too_far", False)],
)
def test_a_pair_just_beyond_the_distance_is_flagged_a_near_miss(
    shift: float, reason: str, near_miss: bool
) -> None:
    refit = centroid_rows({1: (shift, 0), 2: (5, 5), 3: (-5, 5)}, "new")
    matched = by_fit(match_identities(refit, PREVIOUS, RULES))
    assert matched.loc[1, "identity_reason"] == reason
    assert bool(matched.loc[1, "is_near_miss"]) is near_miss
    assert matched.loc[1, "match_distance"] == pytest.approx(shift)


def test_a_pair_with_an_almost_as_close_alternative_is_ambiguous() -> None:
    """Previous segment 1 split in two: both halves are close to it, neither clearly."""
    previous = centroid_rows({1: (0, 0), 2: (10, 0)}, "old")
    refit = centroid_rows({1: (0.30, 0), 2: (-0.35, 0), 3: (10, 0.1)}, "new")
    matched = by_fit(match_identities(refit, previous, RULES, highest_registered_id=2))
    assert matched.loc[1, "identity_reason"] == "ambiguous"
    assert matched.loc[1, "runner_up_distance"] == pytest.approx(0.35)
    assert matched.loc[2, "identity_reason"] == "no_counterpart"
    assert matched["segment_id"].to_dict() == {1: 3, 2: 4, 3: 2}
    # without a margin (ratio 1) the closer half keeps the id
    no_margin = IdentityRules(max_distance_ratio=1.0)
    assert by_fit(match_identities(refit, previous, no_margin)).loc[1, "segment_id"] == 1


def test_close_centroids_with_other_customers_do_not_keep_the_id() -> None:
    refit = centroid_rows({1: (0.1, 0), 2: (5, 5.1), 3: (-5, 5)}, "new")
    # new 1 holds what were previous 3's customers; 2 and 3 hold their own
    counts = members({(1, 3): 90, (1, 1): 10, (2, 2): 95, (2, 1): 5, (3, 3): 80, (3, 1): 20})
    matched = by_fit(match_identities(refit, PREVIOUS, RULES, counts))
    assert matched.loc[1, "identity_reason"] == "members_differ"
    assert matched.loc[1, "share_from_previous_segment"] == pytest.approx(0.10)
    assert matched.loc[1, "share_of_previous_segment"] == pytest.approx(10 / 35)
    assert matched.loc[2, "identity_reason"] == "clear_match"
    assert matched.loc[2, "members_compared"] == 100
    assert matched.loc[2, "share_from_previous_segment"] == pytest.approx(0.95)
    assert matched.loc[2, "share_of_previous_segment"] == pytest.approx(1.0)
    # previous 3: 80 of its 170 stayed in new 3, fewer than 60%
    assert matched.loc[3, "share_of_previous_segment"] == pytest.approx(80 / 170)
    assert matched.loc[3, "identity_reason"] == "members_differ"
    assert not matched.loc[3, "is_near_miss"]
    assert matched["segment_id"].to_dict() == {1: 4, 2: 2, 3: 5}


def test_no_shared_customers_means_no_confirmation() -> None:
    refit = centroid_rows({1: (0, 0), 2: (5, 5), 3: (-5, 5)}, "new")
    matched = by_fit(match_identities(refit, PREVIOUS, RULES, members({})))
    assert set(matched["identity_reason"]) == {"members_differ"}


def test_segments_beyond_the_distance_are_still_paired_with_their_nearest() -> None:
    """Every far pair costs the same penalty plus its distance: the assignment still
    pairs a far segment with its nearest free counterpart, which the mart shows."""
    previous = centroid_rows({1: (0, 0), 2: (5, 0), 3: (20, 0)}, "old")
    refit = centroid_rows({1: (0.1, 0), 2: (6.5, 0)}, "new")
    matched = by_fit(match_identities(refit, previous, RULES))
    assert matched.loc[2, "previous_segment_id"] == 2
    assert matched.loc[2, "match_distance"] == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_distance", 0),
        ("max_distance_ratio", 1.5),
        ("min_member_share", -0.1),
        ("min_shared_features", "most"),
    ],
)
def test_rules_out_of_range_name_the_var(name: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"var segment_identity_{name} must be a number"):
        IdentityRules.from_meta({name: value})


def test_rules_read_the_rendered_vars() -> None:
    rules = IdentityRules.from_meta({"max_distance": "1.5", "min_member_share": "0"})
    assert rules == IdentityRules(max_distance=1.5, min_member_share=0.0)


def test_a_centroid_table_from_before_the_identity_columns_gets_them_empty() -> None:
    legacy = centroid_rows({1: (0, 0)}, "old").assign(keeps_identity=False)
    table = with_identity_columns(legacy)
    assert set(IDENTITY_COLUMNS) <= set(table.columns)
    assert table["identity_reason"].isna().all() and not table["keeps_identity"].any()
    assert (table["fitted_segment_id"] == 1).all()
