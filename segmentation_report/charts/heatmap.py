"""The heatmap: coloured cells with their value written in (z-scores or counts)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from segmentation_report.charts.render import INK, data, to_svg

DIVERGING = ["#2166ac", "#ffffff", "#d6604d"]  # blue (below), white, orange (above)
SEQUENTIAL = ["#f4f7fb", "#08519c"]


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    diverging: bool = True,
    cell_text: Sequence[Sequence[str]] | None = None,
    cell_width: int = 46,
    cell_height: int = 30,
    x_label: str = "",
    limit: float | None = None,
    column_label_angle: int = -50,
) -> str:
    """A grid of cells; empty (None) cells are grey and do not count as marks."""
    present = [abs(v) for row in values for v in row if v is not None]
    scale = limit or (max(present) if present else 1.0)
    rows = []
    for i, row_label in enumerate(row_labels):
        for j, column_label in enumerate(column_labels):
            value = values[i][j]
            text = "\u2013" if value is None else cell_text[i][j] if cell_text else f"{value:+.2f}"
            strong = value is not None and abs(value) / scale > 0.55
            rows.append(
                {
                    "row": row_label,
                    "column": column_label,
                    "value": value,
                    "text": text,
                    "strong": strong,
                }
            )
    x = alt.X(
        "column:N",
        sort=list(column_labels),
        title=x_label or None,
        axis=alt.Axis(
            orient="top",
            labelAngle=column_label_angle,
            labelAlign="left" if column_label_angle else "center",
        ),
    )
    y = alt.Y("row:N", sort=list(row_labels), title=None)
    base = alt.Chart(data(rows)).encode(x=x, y=y)
    domain, colours = ([-scale, 0, scale], DIVERGING) if diverging else ([0, scale], SEQUENTIAL)
    fill = alt.Color(
        "value:Q",
        scale=alt.Scale(domain=domain, range=colours, clamp=True),
        legend=alt.Legend(title=None, orient="right", gradientLength=120),
    )
    chart = alt.layer(
        base.transform_filter("!isValid(datum.value)").mark_rect(
            color="#f5f5f5", cornerRadius=3, stroke="white", strokeWidth=2
        ),
        base.transform_filter("isValid(datum.value)")
        .mark_rect(cornerRadius=3, stroke="white", strokeWidth=2)
        .encode(color=fill)
        .properties(name="data_cells"),
        base.mark_text(fontSize=10).encode(
            text="text:N",
            color=alt.condition("datum.strong", alt.value("#ffffff"), alt.value(INK)),
        ),
    ).properties(width=cell_width * len(column_labels), height=cell_height * len(row_labels))
    return to_svg(chart, kind="heatmap", title=title, marks=len(present))
