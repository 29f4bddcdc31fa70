"""Horizontal (grouped) bar charts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt

from segmentation_report.charts.render import FLAG, MUTED, data, to_svg
from segmentation_report.charts.text import fmt


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt,
    axis_format: str | None = None,
    x_label: str = "",
    width: int = 420,
    bar_height: int = 14,
    reference: float | None = None,
    reference_label: str = "",
) -> str:
    """One group per category, one bar per series, each bar labelled with its value."""
    names = [name for name, _, _ in series]
    rows = [
        {"category": category, "series": name, "value": value, "text": value_format(value)}
        for name, values, _ in series
        for category, value in zip(categories, values, strict=True)
        if value is not None
    ]
    y = alt.Y("category:N", sort=list(categories), title=None)
    color = alt.Color(
        "series:N",
        scale=alt.Scale(domain=names, range=[swatch for _, _, swatch in series]),
        legend=alt.Legend(title=None, orient="top", direction="vertical")
        if len(names) > 1
        else None,
    )
    encodings = {"y": y, "color": color}
    if len(names) > 1:
        encodings["yOffset"] = alt.YOffset("series:N", sort=names)
    base = alt.Chart(data(rows)).encode(
        x=alt.X(
            "value:Q", title=x_label or None, axis=alt.Axis(format=axis_format or alt.Undefined)
        ),
        **encodings,
    )
    layers = [base.mark_bar(height=bar_height - 2).properties(name="data_bars")]
    if bar_height >= 12:  # thinner bars are too close to label legibly
        layers.append(
            base.mark_text(align="left", dx=3, fontSize=10, color=MUTED).encode(text="text:N")
        )
    if reference is not None:
        rule = alt.Chart(data([{"x": reference, "label": reference_label}]))
        layers.append(rule.mark_rule(color=FLAG, strokeDash=[4, 3]).encode(x="x:Q"))
        if reference_label:
            layers.append(
                rule.mark_text(color=FLAG, align="left", dx=4, dy=-4, fontSize=10).encode(
                    x="x:Q", y=alt.value(0), text="label:N"
                )
            )
    step = bar_height * len(names) + 10
    chart = alt.layer(*layers).properties(width=width, height=step * len(categories))
    return to_svg(chart, kind="bar", title=title, marks=len(rows))
