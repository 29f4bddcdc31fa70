"""The pieces a section is made of: the section itself, number formats, tables, charts
and the note that names a missing mart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from segmentation_report.marts import MartReader, Row


@dataclass
class Section:
    """One section of the report: charts and tables, or a note saying why it is empty."""

    key: str
    title: str
    intro: str = ""
    sources: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_reason: str = ""
    charts: list[dict[str, str]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: list[dict[str, str]] = field(default_factory=list)
    # what is flagged and why, in plain sentences, shown first
    findings: list[str] = field(default_factory=list)
    # the full charts and tables behind the findings: the report's appendix
    appendix_charts: list[dict[str, str]] = field(default_factory=list)
    appendix_tables: list[dict[str, Any]] = field(default_factory=list)
    tables_first: bool = False

    @property
    def available(self) -> bool:
        return not self.missing


def pct(value: float | None, digits: int = 1) -> str:
    return "\u2013" if value is None else f"{100 * value:.{digits}f}%"


def num(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}" if abs(value) < 1e4 else f"{value:,.0f}"


def table(
    rows: Iterable[Row],
    columns: Sequence[tuple[str, str]],
    *,
    caption: str,
    source: str,
    formats: dict[str, Any] | None = None,
    flag_column: str | None = None,
    highlight_column: str | None = None,
) -> dict[str, Any]:
    """A table for the template: header labels, formatted cells, flagged rows marked."""
    formats = formats or {}
    rows = list(rows)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            formatter = formats.get(key)
            if formatter is not None:
                text = formatter(value)
            elif isinstance(value, float):
                text = num(value)
            elif isinstance(value, bool):
                text = "yes" if value else "no"
            elif isinstance(value, int):
                text = f"{value:,}"
            else:
                text = "\u2013" if value is None else str(value)
            cells.append(text)
        body.append(
            {
                "cells": cells,
                # a value with a long unbroken run (a list, a hash) may wrap anywhere
                "unbroken": [max(map(len, text.split()), default=0) > 24 for text in cells],
                "flagged": bool(flag_column and row.get(flag_column)),
                "highlighted": bool(highlight_column and row.get(highlight_column)),
            }
        )
    return {
        "caption": caption,
        "source": source,
        "header": [label for _, label in columns],
        "rows": body,
        "numeric": [_is_numeric_column([row.get(key) for row in rows]) for key, _ in columns],
    }


def _is_numeric_column(values: list[Any]) -> bool:
    """Right-align a column whose every value present is a number (not a boolean)."""
    present = [v for v in values if v is not None]
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present
    )


def chart(svg: str, caption: str, source: str, wide: bool = False) -> dict[str, Any]:
    return {"svg": svg, "caption": caption, "source": source, "wide": wide}


def absent(section: Section, marts: Iterable[str], reader: MartReader, reason: str) -> bool:
    """Mark the marts the section needs that are not in the database; True if any is."""
    section.missing = [m for m in marts if not reader.has(m)]
    if section.missing:
        section.missing_reason = reason
    return bool(section.missing)


def absent_columns(
    section: Section, mart: str, columns: Iterable[str], reader: MartReader, reason: str
) -> bool:
    """Mark the columns of ``mart`` the section needs that it lacks; True if any is."""
    present = set(reader.columns(mart))
    section.missing = [f"{mart}.{c}" for c in columns if c not in present]
    if section.missing:
        section.missing_reason = reason
    return bool(section.missing)
