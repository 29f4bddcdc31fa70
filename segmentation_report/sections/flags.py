"""Why a fairness row is flagged, in words: the flag columns and the figures they compare.

The marts decide what is flagged (boolean ``is_*_flagged`` columns, "flagged under the
rule"); the report only names each raised flag next to the figure it is about. Where the
mart explains a row itself (a ``flag_reason`` column), its words are used instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from segmentation_report.elements import pct
from segmentation_report.marts import Row

REASON_COLUMNS = ("flag_reason", "flag_reasons")


@dataclass(frozen=True)
class Flag:
    """A flag column, its name in prose, and how to state the figure it is about."""

    column: str
    name: str
    figure: Callable[[Row], str]


def _points(value: float | None) -> str:
    return "\u2013" if value is None else f"{100 * value:+.1f} pts"


def _rate_gap(rate: str, words: str) -> Callable[[Row], str]:
    def figure(row: Row) -> str:
        return (
            f"{words} {pct(row.get(rate))} against {pct(row.get(f'best_{rate}'))} for the "
            f"best group ({_points(row.get(f'{rate}_difference'))})"
        )

    return figure


def _equalized_odds(row: Row) -> str:
    # the true positive rate is stated once: under equal opportunity when that is raised
    true_positives = _rate_gap("true_positive_rate", "true positive rate")(row)
    false_positives = _rate_gap("false_positive_rate", "false positive rate")(row)
    if row.get("is_equal_opportunity_flagged"):
        return false_positives
    return f"{true_positives}, {false_positives}"


SEGMENT_FLAGS = (
    Flag(
        "is_parity_flagged",
        "parity",
        lambda r: (
            f"{pct(r.get('group_share'))} of the group is in this segment against "
            f"{pct(r.get('population_share'))} of all customers "
            f"({_points(r.get('difference_to_population'))})"
        ),
    ),
    Flag(
        "is_four_fifths_flagged",
        "four-fifths rule",
        lambda r: (
            "the group's share is "
            + ("\u2013" if r.get("ratio_to_best") is None else f"{r['ratio_to_best']:.2f}")
            + " times the best group's"
        ),
    ),
)
PROPENSITY_FLAGS = (
    Flag(
        "is_demographic_parity_flagged",
        "demographic parity",
        _rate_gap("selection_rate", "selected"),
    ),
    Flag(
        "is_equal_opportunity_flagged",
        "equal opportunity",
        _rate_gap("true_positive_rate", "finds responders at"),
    ),
    Flag(
        "is_equalized_odds_flagged",
        "equalized odds",
        _equalized_odds,
    ),
    Flag(
        "is_predictive_parity_flagged",
        "predictive parity",
        _rate_gap("precision", "precision"),
    ),
)


def raised(row: Row, flags: Sequence[Flag]) -> list[Flag]:
    """The flags of ``flags`` the row raises."""
    return [f for f in flags if row.get(f.column)]


def reason(row: Row, flags: Sequence[Flag]) -> str:
    """One plain sentence: which flags the row raises and on what figures."""
    stated = next((row[c] for c in REASON_COLUMNS if row.get(c)), None)
    if stated:
        text = str(stated)
    else:
        text = "; ".join(f"{flag.name}: {flag.figure(row)}" for flag in raised(row, flags))
    if row.get("is_low_confidence"):
        text += " (small group: the interval is wide)"
    return text


def count_sentence(rows: Sequence[Row], flags: Sequence[Flag], unit: str) -> str:
    """ "12 of 36 groups flagged: 3 parity, 10 four-fifths rule." (or "none flagged")."""
    measured = [r for r in rows if not r.get("is_suppressed")]
    any_flag = [r for r in measured if raised(r, flags)]
    if not any_flag:
        return f"none of {len(measured):,} {unit} flagged"
    by_flag = [
        f"{sum(bool(r.get(f.column)) for r in measured):,} {f.name}"
        for f in flags
        if any(r.get(f.column) for r in measured)
    ]
    return f"{len(any_flag):,} of {len(measured):,} {unit} flagged ({', '.join(by_flag)})"
