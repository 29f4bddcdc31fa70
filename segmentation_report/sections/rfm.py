"""The RFM recency x frequency grid."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.elements import (
    Section,
    absent,
    absent_columns,
    chart,
)
from segmentation_report.marts import MartReader


def rfm_grid(reader: MartReader) -> Section:
    section = Section(
        "rfm",
        "RFM grid",
        "The classic recency \u00d7 frequency view: scores 1\u20135 from quintiles "
        "(5 = most recent, "
        "most frequent). Each cell shows its customers and the RFM label most of them carry.",
        sources=["customer_segments"],
    )
    if absent(section, ["customer_segments"], reader, "The segmentation model is not built."):
        return section
    if absent_columns(
        section,
        "customer_segments",
        ["rfm_cell", "rfm_segment"],
        reader,
        "customer_segments carries no RFM cell in this build.",
    ):
        return section
    cells = reader.rows(
        "select cast(substr(rfm_cell, 1, 1) as integer) as recency_score, "
        "cast(substr(rfm_cell, 2, 1) as integer) as frequency_score, "
        "rfm_segment, count(*) as customers from {schema}.customer_segments "
        "where rfm_cell is not null group by all order by all"
    )
    if not cells:
        section.missing = ["customer_segments.rfm_cell"]
        section.missing_reason = (
            "No transactions input (the RFM feature family is off), so there are no RFM scores."
        )
        return section
    counts: dict[tuple[int, int], int] = {}
    labels: dict[tuple[int, int], tuple[int, str]] = {}
    for c in cells:
        key = (c["recency_score"], c["frequency_score"])
        counts[key] = counts.get(key, 0) + c["customers"]
        if c["customers"] > labels.get(key, (0, ""))[0]:
            labels[key] = (c["customers"], c["rfm_segment"] or "")
    recency = [5, 4, 3, 2, 1]
    frequency = [1, 2, 3, 4, 5]
    values = [[counts.get((r, f)) for f in frequency] for r in recency]
    text = [
        [
            f"{counts[(r, f)]:,} · {labels[(r, f)][1]}" if (r, f) in counts else "\u2013"
            for f in frequency
        ]
        for r in recency
    ]
    svg = charts.heatmap(
        [f"recency {r}" for r in recency],
        [f"frequency {f}" for f in frequency],
        values,
        title="RFM grid",
        diverging=False,
        cell_text=text,
        cell_width=132,
        cell_height=40,
        column_label_angle=0,
        x_label="frequency score (5 = most orders)",
    )
    section.charts.append(
        chart(
            svg,
            "Customers per recency \u00d7 frequency score cell, with the cell's main label.",
            "customer_segments.rfm_cell, rfm_segment",
            wide=True,
        )
    )
    by_label = reader.rows(
        "select rfm_segment, count(*) as customers, count(*) / sum(count(*)) over () as share "
        "from {schema}.customer_segments where rfm_segment is not null "
        "group by 1 order by 2 desc, 1"
    )
    section.charts.append(
        chart(
            charts.bar_chart(
                [r["rfm_segment"] for r in by_label],
                [("customers", [r["customers"] for r in by_label], charts.color(2))],
                title="Customers per RFM label",
                x_label="customers",
            ),
            "Customers per RFM label.",
            "customer_segments.rfm_segment",
        )
    )
    return section
