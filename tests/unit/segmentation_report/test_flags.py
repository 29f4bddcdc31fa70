"""Why a fairness row is flagged: the mart's flags in words, or the mart's own reason."""

from __future__ import annotations

from segmentation_report.sections.flags import (
    PROPENSITY_FLAGS,
    SEGMENT_FLAGS,
    count_sentence,
    reason,
)

SHARE = {
    "group_share": 0.065,
    "population_share": 0.128,
    "difference_to_population": -0.063,
    "ratio_to_best": 0.5,
    "is_parity_flagged": True,
    "is_four_fifths_flagged": False,
    "is_low_confidence": False,
    "is_suppressed": False,
}


def test_reason_names_each_raised_flag_with_its_figure() -> None:
    assert reason(SHARE, SEGMENT_FLAGS) == (
        "parity: 6.5% of the group is in this segment against 12.8% of all customers (-6.3 pts)"
    )
    both = {**SHARE, "is_four_fifths_flagged": True, "is_low_confidence": True}
    text = reason(both, SEGMENT_FLAGS)
    assert "four-fifths rule: the group's share is 0.50 times the best group's" in text
    assert text.endswith("(small group: the interval is wide)")


def test_reason_uses_the_marts_own_words_when_it_has_them() -> None:
    row = {**SHARE, "flag_reason": "interval of the difference beyond 0.05"}
    assert reason(row, SEGMENT_FLAGS) == "interval of the difference beyond 0.05"
    assert reason({**SHARE, "flag_reason": None}, SEGMENT_FLAGS).startswith("parity:")


def test_rate_flags_state_the_rate_and_the_best_groups() -> None:
    row = {
        "selection_rate": 0.173,
        "best_selection_rate": 0.287,
        "selection_rate_difference": -0.114,
        "is_demographic_parity_flagged": True,
    }
    assert reason(row, PROPENSITY_FLAGS) == (
        "demographic parity: selected 17.3% against 28.7% for the best group (-11.4 pts)"
    )


def test_count_sentence_leaves_out_suppressed_rows() -> None:
    rows = [
        SHARE,
        {**SHARE, "is_parity_flagged": False},
        {**SHARE, "is_suppressed": True, "is_parity_flagged": None},
    ]
    assert count_sentence(rows, SEGMENT_FLAGS, "shares") == "1 of 2 shares flagged (1 parity)"
    assert count_sentence(rows[1:], SEGMENT_FLAGS, "shares") == "none of 1 shares flagged"
