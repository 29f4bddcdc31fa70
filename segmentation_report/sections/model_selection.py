"""The K selection curves with the chosen k."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.charts import Series
from segmentation_report.elements import (
    Section,
    absent,
    chart,
    table,
)
from segmentation_report.marts import MartReader


def model_selection(reader: MartReader) -> Section:
    section = Section(
        "k-selection",
        "How many segments: the K selection curves",
        "K-Means was fitted for each candidate number of segments k. Inertia falls as k "
        "grows; silhouette and Calinski-Harabasz are better high, Davies-Bouldin better low; "
        "stability is the agreement of refits on subsamples. The red line marks the k the "
        "configured rule chose.",
        sources=["segment_model_selection"],
    )
    if absent(section, ["segment_model_selection"], reader, "The segmentation model is not built."):
        return section
    rows = reader.rows("select * from {schema}.segment_model_selection order by k")
    chosen = next((r for r in rows if r["is_chosen"]), None)
    ks = [r["k"] for r in rows]
    metrics = [
        ("inertia", "Inertia (lower is tighter)"),
        ("silhouette", "Silhouette (higher is better)"),
        ("calinski_harabasz", "Calinski-Harabasz (higher is better)"),
        ("davies_bouldin", "Davies-Bouldin (lower is better)"),
        ("stability_ari", "Stability, adjusted Rand (higher is better)"),
    ]
    for index, (column, label) in enumerate(metrics):
        if column not in rows[0] or all(r[column] is None for r in rows):
            continue
        svg = charts.line_chart(
            [Series(label, ks, [r[column] for r in rows], charts.color(index))],
            title=label,
            x_label="number of segments k",
            y_label=column.replace("_", " "),
            marked_x=chosen["k"] if chosen else None,
            marked_label=f"chosen k = {chosen['k']}" if chosen else "",
            x_ticks=ks,
        )
        section.charts.append(chart(svg, label, f"segment_model_selection.{column}"))
    if chosen:
        section.notes.append(
            f"Chosen: k = {chosen['k']} by the rule {chosen['selection_rule']}, fitted on "
            f"{chosen['fit_rows']:,} rows."
        )
    section.tables.append(
        table(
            rows,
            [
                ("k", "k"),
                ("inertia", "inertia"),
                ("silhouette", "silhouette"),
                ("calinski_harabasz", "Calinski-Harabasz"),
                ("davies_bouldin", "Davies-Bouldin"),
                ("stability_ari", "stability"),
                ("is_chosen", "chosen"),
            ],
            caption="Candidate k",
            source="segment_model_selection",
            highlight_column="is_chosen",
        )
    )
    return section
