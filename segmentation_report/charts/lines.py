"""Line charts (with points) and the segment map's scatter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt

from segmentation_report.charts.render import FLAG, MUTED, PALETTE, color, data, to_svg


@dataclass
class Series:
    """One line of a line chart."""

    name: str
    xs: Sequence[float]
    ys: Sequence[float | None]
    color: str = PALETTE[0]
    dashed: bool = False
    points: bool = True


def _scale(domain: tuple[float, float] | None) -> alt.Scale:
    return alt.Scale(domain=list(domain), nice=False) if domain else alt.Scale(zero=False)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    marked_x: float | None = None,
    marked_label: str = "",
    diagonal: bool = False,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    x_ticks: Sequence[float] | None = None,
    width: int = 260,
    height: int = 180,
    x_format: str = "~g",
    y_format: str = "~g",
) -> str:
    """Lines on shared axes, an optional marked x (dashed red) and y = x diagonal."""
    names = [s.name for s in series]
    rows = [
        {"series": s.name, "x": x, "y": y, "points": s.points}
        for s in series
        for x, y in zip(s.xs, s.ys, strict=True)
        if y is not None
    ]
    drawn = [s for s in series if any(y is not None for y in s.ys)]
    x = alt.X(
        "x:Q",
        title=x_label,
        scale=_scale(x_range),
        axis=alt.Axis(format=x_format, values=list(x_ticks) if x_ticks else alt.Undefined),
    )
    y = alt.Y("y:Q", title=y_label, scale=_scale(y_range), axis=alt.Axis(format=y_format))
    legend = (
        alt.Legend(title=None, orient="bottom", direction="vertical") if len(names) > 1 else None
    )
    stroke = alt.Color(
        "series:N", scale=alt.Scale(domain=names, range=[s.color for s in series]), legend=legend
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=names, range=[[6, 4] if s.dashed else [1, 0] for s in series]),
        legend=None,
    )
    base = alt.Chart(data(rows)).encode(x=x, y=y, color=stroke)
    layers = []
    if diagonal:
        xs = [r["x"] for r in rows] + [r["y"] for r in rows]
        lo, hi = (x_range or (min(xs), max(xs))) if xs else (0.0, 1.0)
        layers.append(
            alt.Chart(data([{"x": lo, "y": lo, "x2": hi, "y2": hi}]))
            .mark_rule(color=MUTED, strokeDash=[4, 4])
            .encode(x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q")
        )
    layers.append(
        base.mark_line(strokeWidth=2)
        .encode(strokeDash=dash, detail="series:N")
        .properties(name="data_lines")
    )
    pointed = base.transform_filter("datum.points")
    layers.append(pointed.mark_circle(size=22, opacity=1).properties(name="data_points"))
    if marked_x is not None:
        marker = alt.Chart(data([{"x": marked_x, "label": marked_label}]))
        layers.append(marker.mark_rule(color=FLAG, strokeDash=[3, 3]).encode(x="x:Q"))
        if marked_label:
            layers.append(
                marker.mark_text(color=FLAG, fontSize=10, dy=-6, baseline="bottom").encode(
                    x="x:Q", y=alt.value(0), text="label:N"
                )
            )
    chart = alt.layer(*layers).properties(width=width, height=height)
    marks = len(drawn) + sum(1 for r in rows if r["points"])
    return to_svg(chart, kind="line", title=title, marks=marks)


def scatter_chart(
    points: Sequence[tuple[float, float, int]],
    group_names: Sequence[str],
    centroids: Sequence[tuple[float, float, int]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 560,
    height: int = 400,
) -> str:
    """Customers as small dots coloured by segment; centroids as large diamonds."""
    names = list(group_names)
    palette = alt.Scale(domain=names, range=[color(i) for i in range(len(names))])
    fill = alt.Color("group:N", scale=palette, title="segment")

    def frame(rows):
        return [{"x": x, "y": y, "group": names[g]} for x, y, g in rows]

    x = alt.X("x:Q", title=x_label, scale=alt.Scale(zero=False))
    y = alt.Y("y:Q", title=y_label, scale=alt.Scale(zero=False))
    dots = (
        alt.Chart(data(frame(points)))
        .mark_circle(size=10, opacity=0.45, aria=False)  # no label per customer
        .encode(x=x, y=y, color=fill)
        .properties(name="data_points")
    )
    diamonds = (
        alt.Chart(data(frame(centroids)))
        .mark_point(
            shape="diamond", size=180, filled=True, opacity=1, stroke="white", strokeWidth=2
        )
        .encode(x=x, y=y, color=fill, tooltip=alt.Tooltip("group:N"))
        .properties(name="data_centroids")
    )
    chart = alt.layer(dots, diamonds).properties(width=width, height=height)
    return to_svg(chart, kind="scatter", title=title, marks=len(points) + len(centroids))
