"""Dot-and-whisker charts: an estimate with its interval per row, against a reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt

from segmentation_report.charts.render import FLAG, INK, MUTED, PALETTE, data, to_svg


@dataclass
class IntervalRow:
    """One estimate with its interval; ``note`` is written beside the row."""

    label: str
    estimate: float | None
    lower: float | None = None
    upper: float | None = None
    reference: float | None = None
    flagged: bool = False
    note: str = ""


def interval_chart(
    rows: Sequence[IntervalRow],
    *,
    title: str,
    x_label: str,
    axis_format: str = ".0%",
    width: int = 300,
    row_height: int = 18,
) -> str:
    """Dot (estimate), whisker (interval) and grey tick (reference); flagged rows in red."""
    values = [
        {
            "label": r.label,
            "estimate": r.estimate,
            "lower": r.lower,
            "upper": r.upper,
            "reference": r.reference,
            "flagged": r.flagged,
            "note": r.note,
        }
        for r in rows
    ]
    labels = [r.label for r in rows]
    flagged = [r.label for r in rows if r.flagged]
    # axis labels of flagged rows in red: vega evaluates this per label
    label_color = alt.ExprRef(expr=f"indexof({flagged!r}, datum.value) >= 0 ? '{FLAG}' : '{INK}'")
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelColor=label_color))
    ink = alt.condition("datum.flagged", alt.value(FLAG), alt.value(INK))
    base = alt.Chart(data(values)).encode(y=y)
    x = alt.X("estimate:Q", title=x_label, axis=alt.Axis(format=axis_format))
    plot = alt.layer(
        base.transform_filter("isValid(datum.lower) && isValid(datum.upper)")
        .mark_rule(strokeWidth=1.5)
        .encode(x=alt.X("lower:Q"), x2="upper:Q", color=ink),
        base.transform_filter("isValid(datum.reference)")
        .mark_tick(color=MUTED, thickness=2, size=12)
        .encode(x="reference:Q"),
        base.transform_filter("isValid(datum.estimate)")
        .mark_circle(size=40, opacity=1)
        .encode(
            x=x,
            color=alt.condition("datum.flagged", alt.value(FLAG), alt.value(PALETTE[0])),
        )
        .properties(name="data_points"),
    ).properties(width=width, height=row_height * len(rows))
    notes = (
        base.mark_text(align="left", fontSize=10)
        .encode(
            y=alt.Y("label:N", sort=labels, axis=None),
            x=alt.value(0),
            text="note:N",
            color=ink,
        )
        .properties(
            width=max([6 * len(r.note) for r in rows] + [10]), height=row_height * len(rows)
        )
    )
    chart = alt.hconcat(plot, notes, spacing=8).resolve_scale(y="shared")
    marks = sum(r.estimate is not None for r in rows)
    return to_svg(chart, kind="interval", title=title, marks=marks)
