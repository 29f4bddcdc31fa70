"""Read the public marts from a DuckDB file and render the audit report as one HTML file.

Every number in the report is read from a mart (the section names it): this module only
selects, orders and places figures, it never recomputes a model quality figure, share or
fairness measure a different way. A section whose marts are absent (its feature family
is switched off, or the model is not built yet) says so instead of failing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from customer_segmentation.report import charts
from customer_segmentation.report.charts import IntervalRow, Series

TEMPLATE_NAME = "report.html.j2"
MAP_SAMPLE_SIZE = 4000
Row = dict[str, Any]
# Every mart the report reads (the dbt exposure segmentation_audit_report lists those
# the project builds, so the lineage ends at the report).
REPORT_MARTS = (
    "customer_segments",
    "segment_profiles",
    "segment_feature_profiles",
    "segment_centroids",
    "segment_map_loadings",
    "segment_model_selection",
    "segment_recommendations",
    "propensity_metrics",
    "propensity_lift",
    "campaign_targets",
    "segment_fairness",
    "segment_fairness_summary",
    "proxy_check",
    "propensity_fairness",
    "data_quality",
    "run_manifest",
)


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
    tables_first: bool = False

    @property
    def available(self) -> bool:
        return not self.missing


def _plain(value: Any) -> Any:
    """DECIMAL values as floats, so charts and formats treat every number alike."""
    return float(value) if isinstance(value, Decimal) else value


class MartReader:
    """Queries against the marts of one schema of a DuckDB file, opened read-only."""

    def __init__(self, database: Path, schema: str = "main") -> None:
        import duckdb

        if not Path(database).exists():
            raise FileNotFoundError(
                f"DuckDB file {database} not found: run `make build` (or `dbt build`) first, "
                "or point SEGMENTATION_DUCKDB_PATH / --database at the file the build wrote."
            )
        self.connection = duckdb.connect(str(database), read_only=True)
        self.schema = schema
        self.tables = {
            name
            for (name,) in self.connection.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [schema],
            ).fetchall()
        }

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def columns(self, table: str) -> list[str]:
        return [
            name
            for (name,) in self.connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [self.schema, table],
            ).fetchall()
        ]

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        relation = self.connection.execute(sql.replace("{schema}", f'"{self.schema}"'), parameters)
        names = [d[0] for d in relation.description]
        return [
            {name: _plain(value) for name, value in zip(names, values, strict=True)}
            for values in relation.fetchall()
        ]

    def close(self) -> None:
        self.connection.close()


# ---------------------------------------------------------------- formatting helpers


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


# ---------------------------------------------------------------- sections


def segment_overview(reader: MartReader) -> Section:
    section = Section(
        "segments",
        "Segments: size, revenue and what sets them apart",
        "Each customer belongs to exactly one segment. Bars compare each segment's share of "
        "customers with its share of net revenue (monetary_total after refunds).",
        sources=["segment_profiles"],
    )
    if absent(section, ["segment_profiles"], reader, "The segmentation model is not built."):
        return section
    profiles = reader.rows("select * from {schema}.segment_profiles order by segment_id")
    names = [f"{p['segment_id']}. {p['segment_name']}" for p in profiles]
    series = [("Share of customers", [p["customer_share"] for p in profiles], charts.color(0))]
    has_revenue = any(p.get("revenue_share") is not None for p in profiles)
    if has_revenue:
        series.append(("Share of net revenue", [p["revenue_share"] for p in profiles], "#E69F00"))
    section.charts.append(
        chart(
            charts.bar_chart(
                names,
                series,
                title="Segment sizes and revenue shares",
                value_format=lambda v: pct(v, 0),
                x_label="share",
            ),
            "Share of customers and of net revenue per segment.",
            "segment_profiles.customer_share, revenue_share",
        )
    )
    if not has_revenue:
        section.notes.append("No transactions input: revenue shares are not available.")
    section.tables.append(
        table(
            profiles,
            [
                ("segment_id", "id"),
                ("segment_name", "segment"),
                ("customers", "customers"),
                ("customer_share", "share"),
                ("revenue_share", "revenue share"),
                ("mean_confidence", "mean confidence"),
                ("top_features", "most distinguishing features (z-score)"),
            ],
            caption="Segment profiles",
            source="segment_profiles",
            formats={
                "customer_share": pct,
                "revenue_share": pct,
                "mean_confidence": lambda v: num(v, 2),
            },
        )
    )
    return section


def recommendations(reader: MartReader) -> Section:
    section = Section(
        "recommendations",
        "Recommended plays",
        "One play per segment from the editable segment playbook. The audience counts only "
        "customers who gave marketing consent. A segment flagged by a fairness check is marked "
        "needs_review and should be checked before a campaign.",
        sources=["segment_recommendations"],
    )
    if absent(section, ["segment_recommendations"], reader, "The segmentation model is not built."):
        return section
    rows = reader.rows("select * from {schema}.segment_recommendations order by segment_id")
    for row in rows:
        row["needs_review"] = row.get("review_status") == "needs_review"
    section.tables.append(
        table(
            rows,
            [
                ("segment_name", "segment"),
                ("strategy", "strategy"),
                ("channel", "channel"),
                ("offer", "offer"),
                ("kpi", "KPI"),
                ("customers", "customers"),
                ("audience_size", "consenting audience"),
                ("review_status", "review"),
            ],
            caption="Plays by segment",
            source="segment_recommendations",
            flag_column="needs_review",
        )
    )
    return section


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


def segment_map(reader: MartReader) -> Section:
    section = Section(
        "segment-map",
        "Segment map",
        "Every customer placed on the two principal axes of the standardized features "
        "(diamonds are the segment centres). Customers close together behave alike.",
        sources=["customer_segments", "segment_centroids", "segment_map_loadings"],
    )
    if absent(
        section,
        ["customer_segments", "segment_centroids"],
        reader,
        "The segmentation model is not built.",
    ):
        return section
    if absent_columns(
        section,
        "customer_segments",
        ["pca_x", "pca_y"],
        reader,
        "customer_segments has no map position in this build.",
    ):
        return section
    if absent_columns(
        section,
        "segment_centroids",
        ["centroid_pca_x", "centroid_pca_y"],
        reader,
        "segment_centroids has no map position in this build.",
    ):
        return section
    total = reader.rows("select count(*) as n from {schema}.customer_segments")[0]["n"]
    # deterministic sample: the customers with the smallest hash of their id
    points = reader.rows(
        "select pca_x, pca_y, segment_id from {schema}.customer_segments "
        "where pca_x is not null and pca_y is not null "
        "order by hash(customer_id), customer_id limit ?",
        [MAP_SAMPLE_SIZE],
    )
    centroids = reader.rows(
        "select distinct segment_id, segment_name, centroid_pca_x, centroid_pca_y "
        "from {schema}.segment_centroids order by segment_id"
    )
    index = {c["segment_id"]: i for i, c in enumerate(centroids)}
    names = [f"{c['segment_id']}. {c['segment_name']}" for c in centroids]
    x_label, y_label = "map axis 1", "map axis 2"
    if reader.has("segment_map_loadings"):
        variance = {
            r["map_axis"]: r["explained_variance_ratio"]
            for r in reader.rows(
                "select distinct map_axis, explained_variance_ratio "
                "from {schema}.segment_map_loadings"
            )
        }
        x_label = f"map axis 1 ({pct(variance.get('x'), 0)} of variance)"
        y_label = f"map axis 2 ({pct(variance.get('y'), 0)} of variance)"
        loadings = reader.rows(
            "select map_axis, feature_name, loading from {schema}.segment_map_loadings "
            "qualify row_number() over (partition by map_axis order by abs(loading) desc) <= 3 "
            "order by map_axis, abs(loading) desc"
        )
        for axis in ("x", "y"):
            top = [
                f"{r['feature_name']} ({r['loading']:+.2f})"
                for r in loadings
                if r["map_axis"] == axis
            ]
            section.notes.append(
                f"Axis {1 if axis == 'x' else 2} is driven most by " + ", ".join(top) + "."
            )
    svg = charts.scatter_chart(
        [(p["pca_x"], p["pca_y"], index[p["segment_id"]]) for p in points],
        names,
        [(c["centroid_pca_x"], c["centroid_pca_y"], index[c["segment_id"]]) for c in centroids],
        title="Segment map",
        x_label=x_label,
        y_label=y_label,
    )
    shown = (
        f"all {total:,} customers"
        if len(points) == total
        else f"a fixed sample of {len(points):,} of {total:,} customers (smallest hash of id)"
    )
    section.charts.append(
        chart(
            svg,
            f"Segment map: {shown}.",
            "customer_segments.pca_x, pca_y; segment_centroids.centroid_pca_x, centroid_pca_y",
            wide=True,
        )
    )
    return section


def profile_heatmap(reader: MartReader) -> Section:
    section = Section(
        "profiles",
        "Segment profiles: how each segment differs from the average customer",
        "Each cell is the z-score of the segment's mean against all customers: +1 means one "
        "standard deviation above the average, \u22121 one below. Orange is above, blue below.",
        sources=["segment_feature_profiles"],
    )
    if absent(
        section, ["segment_feature_profiles"], reader, "The segmentation model is not built."
    ):
        return section
    rows = reader.rows(
        "select segment_id, segment_name, feature_name, feature_position, is_model_feature, "
        "z_score from {schema}.segment_feature_profiles order by segment_id, feature_position"
    )
    segments = list(dict.fromkeys((r["segment_id"], r["segment_name"]) for r in rows))
    features = sorted(
        {(r["feature_position"], r["feature_name"], r["is_model_feature"]) for r in rows}
    )
    lookup = {(r["segment_id"], r["feature_name"]): r["z_score"] for r in rows}
    values = [[lookup.get((sid, f[1])) for sid, _ in segments] for f in features]
    svg = charts.heatmap(
        [f[1] if f[2] else f"{f[1]} (not in model)" for f in features],
        [f"{sid}. {name}" for sid, name in segments],
        values,
        title="Feature z-scores per segment",
        limit=2.0,
        cell_width=118,
        cell_height=24,
        row_label_width=220,
        column_label_height=48,
        column_label_angle=0,
    )
    section.charts.append(
        chart(
            svg,
            "z-score of each feature's segment mean (colour saturates at ±2).",
            "segment_feature_profiles.z_score",
            wide=True,
        )
    )
    return section


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
        row_label_width=90,
        column_label_height=30,
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


def propensity(reader: MartReader) -> Section:
    section = Section(
        "propensity",
        "Campaign response model",
        "The propensity model scores each customer's chance of responding to the next "
        "campaign. All quality figures are out-of-fold (each customer scored by a model that "
        "never saw them) and are compared with a plain logistic baseline.",
        sources=["propensity_metrics", "propensity_lift", "campaign_targets"],
        tables_first=True,
    )
    if absent(
        section,
        ["propensity_metrics", "propensity_lift"],
        reader,
        "The propensity model is not built (no campaign_responses input, or the "
        "propensity models are not in this project yet).",
    ):
        return section
    metrics = reader.rows(
        "select * from {schema}.propensity_metrics where scope = 'all' "
        "order by is_served desc, model_name"
    )
    section.tables.append(
        table(
            metrics,
            [
                ("model_name", "model"),
                ("is_served", "served"),
                ("customers", "customers"),
                ("response_rate", "response rate"),
                ("roc_auc", "ROC-AUC"),
                ("average_precision", "average precision"),
                ("threshold", "threshold"),
                ("precision_at_threshold", "precision"),
                ("recall_at_threshold", "recall"),
                ("f1_at_threshold", "F1"),
                ("brier_score", "Brier"),
                ("roc_auc_over_baseline", "ROC-AUC vs baseline"),
            ],
            caption="Model vs baseline (all contacted customers)",
            source="propensity_metrics (scope = 'all')",
            formats={"response_rate": pct},
            highlight_column="is_served",
        )
    )
    lift = reader.rows("select * from {schema}.propensity_lift order by model_name, score_decile")
    models = list(dict.fromkeys(r["model_name"] for r in lift))
    served = {r["model_name"] for r in lift if r.get("is_served")}
    models.sort(key=lambda m: (m not in served, m))
    auc = {m["model_name"]: m["roc_auc"] for m in metrics}
    roc_series, gain_series, calibration_series = [], [], []
    for index, model in enumerate(models):
        deciles = [r for r in lift if r["model_name"] == model]
        total_customers = max(r["cumulative_customers"] for r in deciles)
        total_responders = max(r["cumulative_responders"] for r in deciles)
        negatives = total_customers - total_responders
        tpr = [0.0] + [r["cumulative_responders"] / total_responders for r in deciles]
        fpr = [0.0] + [
            (r["cumulative_customers"] - r["cumulative_responders"]) / negatives for r in deciles
        ]
        swatch, dashed = charts.color(index), model not in served
        label = f"{model} (AUC {num(auc.get(model))})"
        roc_series.append(Series(label, fpr, tpr, swatch, dashed))
        gain_series.append(
            Series(
                model,
                [0.0] + [r["cumulative_customer_share"] for r in deciles],
                [0.0] + [r["cumulative_gain"] for r in deciles],
                swatch,
                dashed,
            )
        )
        calibration_series.append(
            Series(
                model,
                [r["mean_score"] for r in deciles],
                [r["response_rate"] for r in deciles],
                swatch,
                dashed,
            )
        )
    unit = (0.0, 1.0)
    section.charts.append(
        chart(
            charts.line_chart(
                roc_series,
                title="ROC curve",
                x_label="false positive rate",
                y_label="true positive rate",
                diagonal=True,
                x_range=unit,
                y_range=unit,
            ),
            "ROC curve at the ten score-decile cut-offs; the AUC in the legend is the exact "
            "figure from propensity_metrics.",
            "propensity_lift.cumulative_customers, cumulative_responders; "
            "propensity_metrics.roc_auc",
        )
    )
    section.charts.append(
        chart(
            charts.line_chart(
                gain_series,
                title="Cumulative gains",
                x_label="share of customers contacted (highest scores first)",
                y_label="share of responders reached",
                diagonal=True,
                x_range=unit,
                y_range=unit,
                x_tick_format=lambda v: pct(v, 0),
                y_tick_format=lambda v: pct(v, 0),
            ),
            "Cumulative gains: responders reached when contacting the top deciles.",
            "propensity_lift.cumulative_customer_share, cumulative_gain",
        )
    )
    deciles = sorted({r["score_decile"] for r in lift})
    section.charts.append(
        chart(
            charts.bar_chart(
                [f"decile {d}" for d in deciles],
                [
                    (
                        m,
                        [
                            next(
                                (
                                    r["lift"]
                                    for r in lift
                                    if r["model_name"] == m and r["score_decile"] == d
                                ),
                                None,
                            )
                            for d in deciles
                        ],
                        charts.color(i),
                    )
                    for i, m in enumerate(models)
                ],
                title="Lift by decile",
                x_label="lift over the overall response rate",
                reference=1.0,
                reference_label="no lift",
                label_width=80,
                width=520,
                bar_height=9,
            ),
            "Response rate of each score decile over the overall rate (decile 1 = highest scores).",
            "propensity_lift.lift",
        )
    )
    high = max([r["mean_score"] or 0 for r in lift] + [r["response_rate"] or 0 for r in lift])
    section.charts.append(
        chart(
            charts.line_chart(
                calibration_series,
                title="Calibration",
                x_label="mean predicted score in the decile",
                y_label="observed response rate",
                diagonal=True,
                x_range=(0.0, high),
                y_range=(0.0, high),
            ),
            "Calibration: on the dashed diagonal, predicted and observed rates agree.",
            "propensity_lift.mean_score, response_rate",
        )
    )
    by_segment = reader.rows(
        "select * from {schema}.propensity_metrics where scope <> 'all' and is_served "
        "order by segment_id"
    )
    if by_segment:
        section.tables.append(
            table(
                by_segment,
                [
                    ("scope", "scope"),
                    ("segment_id", "segment"),
                    ("customers", "customers"),
                    ("response_rate", "response rate"),
                    ("roc_auc", "ROC-AUC"),
                    ("baseline_roc_auc", "baseline ROC-AUC"),
                    ("precision_at_threshold", "precision"),
                    ("recall_at_threshold", "recall"),
                ],
                caption="Served model within each segment",
                source="propensity_metrics (scope = 'segment_<id>')",
                formats={"response_rate": pct},
            )
        )
    if reader.has("campaign_targets"):
        targets = reader.rows(
            "select count(*) as customers, sum(expected_conversions) as expected, "
            "min(propensity_score) as lowest_score from {schema}.campaign_targets"
        )[0]
        section.notes.append(
            f"Campaign target list: {targets['customers']:,} consenting customers, "
            f"{num(targets['expected'], 1)} expected conversions, lowest score on the list "
            f"{num(targets['lowest_score'])} (campaign_targets)."
        )
    else:
        section.notes.append("campaign_targets is not in the database.")
    return section


FLAG_NAMES = {"is_parity_flagged": "parity", "is_four_fifths_flagged": "4/5 rule"}


def _interval_rows(
    rows: list[Row],
    label,
    estimate: str,
    lower: str,
    upper: str,
    reference: str | None,
    flags: Sequence[str],
    group,
) -> list[IntervalRow]:
    result = []
    for r in rows:
        suppressed = r.get("is_suppressed")
        flagged = any(r.get(f) for f in flags)
        note = ""
        if suppressed:
            note = "suppressed"
        elif reference and r.get(reference) is not None and r.get(estimate) is not None:
            note = f"{100 * (r[estimate] - r[reference]):+.1f} pts"
        if r.get("is_low_confidence") and not suppressed:
            note += " (small group)"
        reasons = [FLAG_NAMES.get(f, f) for f in flags if r.get(f)]
        if reasons:
            note += " \u00b7 " + ", ".join(reasons)
        result.append(
            IntervalRow(
                label=label(r),
                estimate=r.get(estimate),
                lower=r.get(lower),
                upper=r.get(upper),
                reference=r.get(reference) if reference else None,
                flagged=flagged,
                group=str(group(r)),
                note=note.strip(),
            )
        )
    return result


def fairness(reader: MartReader) -> Section:
    section = Section(
        "fairness",
        "Fairness: are protected groups spread evenly over the segments?",
        "Protected attributes are never model features; they are used only here. For each "
        "attribute, group and segment: the share of the group that falls in the segment "
        "(dot, with its 95% Wilson interval) against the share of all customers (grey tick). "
        "Red rows are flagged (parity difference above the threshold or under four-fifths "
        "of the best group); small groups are marked and suppressed groups are not published.",
        sources=["segment_fairness_summary", "segment_fairness", "proxy_check"],
        tables_first=True,
    )
    if absent(
        section,
        ["segment_fairness"],
        reader,
        "The fairness marts are not built (no protected attributes configured, or the "
        "fairness models are not in this project yet).",
    ):
        return section
    if reader.has("segment_fairness_summary"):
        summary = reader.rows(
            "select * from {schema}.segment_fairness_summary order by is_intersection, "
            "attribute_name"
        )
        for r in summary:
            r["flagged"] = bool(
                r.get("is_total_variation_flagged") or r.get("is_parity_difference_flagged")
            )
        section.tables.append(
            table(
                summary,
                [
                    ("attribute_name", "attribute"),
                    ("measured_group_count", "groups measured"),
                    ("suppressed_group_count", "suppressed"),
                    ("max_total_variation", "max total variation"),
                    ("worst_group_name", "most different group"),
                    ("max_parity_difference", "max parity difference"),
                    ("worst_segment_id", "in segment"),
                    ("min_parity_ratio", "min parity ratio"),
                    ("parity_flagged_cells", "parity flags"),
                    ("four_fifths_flagged_cells", "four-fifths flags"),
                ],
                caption="Parity by attribute (flagged attributes in red)",
                source="segment_fairness_summary",
                flag_column="flagged",
            )
        )
    names = {}
    if reader.has("segment_profiles"):
        names = {
            r["segment_id"]: r["segment_name"]
            for r in reader.rows("select segment_id, segment_name from {schema}.segment_profiles")
        }
    rows = reader.rows(
        "select * from {schema}.segment_fairness where not is_intersection "
        "order by attribute_name, segment_id, group_name"
    )
    for attribute in dict.fromkeys(r["attribute_name"] for r in rows):
        subset = [r for r in rows if r["attribute_name"] == attribute]
        interval_rows = _interval_rows(
            subset,
            label=lambda r: f"{names.get(r['segment_id'], r['segment_id'])} · {r['group_name']}",
            estimate="group_share",
            lower="share_ci_lower",
            upper="share_ci_upper",
            reference="population_share",
            flags=["is_parity_flagged", "is_four_fifths_flagged"],
            group=lambda r: r["segment_id"],
        )
        section.charts.append(
            chart(
                charts.interval_chart(
                    interval_rows,
                    title=f"Segment shares by {attribute}",
                    x_label="share of the group in the segment",
                    value_format=lambda v: pct(v, 0),
                ),
                f"{attribute}: share of each group in each segment with 95% interval; grey tick "
                "= all customers; note = difference in percentage points.",
                "segment_fairness.group_share, share_ci_lower, share_ci_upper, population_share, "
                "is_parity_flagged, is_four_fifths_flagged",
            )
        )
    flagged_intersections = reader.rows(
        "select attribute_name, group_name, segment_id, group_customers, group_share, "
        "population_share, difference_to_population, ratio_to_best "
        "from {schema}.segment_fairness where is_intersection "
        "and (is_parity_flagged or is_four_fifths_flagged) and not is_low_confidence "
        "order by abs(difference_to_population) desc, attribute_name, segment_id, group_name"
    )
    if any(
        r["is_intersection"]
        for r in reader.rows("select distinct is_intersection from {schema}.segment_fairness")
    ):
        section.tables.append(
            table(
                flagged_intersections[:20],
                [
                    ("attribute_name", "intersection"),
                    ("group_name", "group"),
                    ("segment_id", "segment"),
                    ("group_customers", "group size"),
                    ("group_share", "group share"),
                    ("population_share", "all customers"),
                    ("difference_to_population", "difference"),
                    ("ratio_to_best", "ratio to best"),
                ],
                caption=f"Flagged intersections of groups of at least the minimum size: the "
                f"{min(len(flagged_intersections), 20)} largest differences of "
                f"{len(flagged_intersections)}",
                source="segment_fairness (is_intersection)",
                formats={
                    "group_share": pct,
                    "population_share": pct,
                    "difference_to_population": lambda v: pct(v, 1),
                },
            )
        )
    if reader.has("proxy_check"):
        proxies = reader.rows(
            "select * from {schema}.proxy_check order by correlation_ratio desc limit 10"
        )
        section.tables.append(
            table(
                proxies,
                [
                    ("feature_name", "feature"),
                    ("attribute_name", "attribute"),
                    ("correlation_ratio", "correlation ratio (eta)"),
                    ("most_distinct_group_name", "most distinct group"),
                    ("is_proxy_flagged", "proxy flag"),
                ],
                caption="Could a model feature stand in for a protected attribute? (top 10)",
                source="proxy_check",
                flag_column="is_proxy_flagged",
            )
        )
    return section


def propensity_fairness(reader: MartReader) -> Section:
    section = Section(
        "propensity-fairness",
        "Fairness of the response model",
        "Per protected group: the rates at which the model selects customers and finds "
        "responders, with their 95% intervals.",
        sources=["propensity_fairness"],
    )
    if absent(
        section,
        ["propensity_fairness"],
        reader,
        "The propensity fairness mart is not built (no propensity model or no protected "
        "attributes).",
    ):
        return section
    columns = reader.columns("propensity_fairness")
    rates = [
        c[: -len("_ci_lower")]
        for c in columns
        if c.endswith("_ci_lower")
        and c[: -len("_ci_lower")] in columns
        and f"{c[: -len('_ci_lower')]}_ci_upper" in columns
    ]
    order = [c for c in ("attribute_name", "group_name") if c in columns]
    rows = reader.rows(
        "select * from {schema}.propensity_fairness"
        + (" order by " + ", ".join(order) if order else "")
    )
    flags = [c for c in columns if c.startswith("is_") and c.endswith("_flagged")]
    for rate in rates:
        reference = next(
            (c for c in (f"population_{rate}", f"overall_{rate}") if c in columns), None
        )
        interval_rows = _interval_rows(
            rows,
            label=lambda r: f"{r.get('attribute_name', '')} · {r.get('group_name', '')}",
            estimate=rate,
            lower=f"{rate}_ci_lower",
            upper=f"{rate}_ci_upper",
            reference=reference,
            flags=flags,
            group=lambda r: r.get("attribute_name", ""),
        )
        section.charts.append(
            chart(
                charts.interval_chart(
                    interval_rows,
                    title=f"{rate} by group",
                    x_label=rate.replace("_", " "),
                    value_format=lambda v: pct(v, 0),
                ),
                f"{rate.replace('_', ' ')} per group with its 95% interval"
                + (f"; grey tick = {reference}" if reference else "")
                + ".",
                f"propensity_fairness.{rate}, {rate}_ci_lower, {rate}_ci_upper",
            )
        )
    section.tables.append(
        table(
            rows,
            [(c, c.replace("_", " ")) for c in columns],
            caption="Group rates",
            source="propensity_fairness",
            flag_column=flags[0] if flags else None,
        )
    )
    return section


def data_quality(reader: MartReader) -> Section:
    section = Section(
        "data-quality",
        "Data quality: every row accounted for",
        "Every cleaning rule, how many input rows it excluded or repaired, and how many rows "
        "went on to the model. Nothing is dropped without being counted here.",
        sources=["data_quality"],
    )
    if absent(section, ["data_quality"], reader, "The data_quality mart is not built."):
        return section
    rows = reader.rows(
        "select * from {schema}.data_quality order by input_name, check_name, column_name"
    )
    hits = [r for r in rows if r["rows_affected"]]
    if hits:
        section.charts.append(
            chart(
                charts.bar_chart(
                    [
                        f"{r['input_name']} · {r['check_name']}"
                        + (f" · {r['column_name']}" if r["column_name"] else "")
                        + f" ({r['action']})"
                        for r in hits
                    ],
                    [("rows", [r["rows_affected"] for r in hits], charts.color(5))],
                    title="Rows excluded or repaired per rule",
                    x_label="rows affected",
                    label_width=330,
                    width=740,
                ),
                "Rows excluded or repaired by each rule that matched any row.",
                "data_quality.rows_affected",
            )
        )
    section.tables.append(
        table(
            rows,
            [
                ("input_name", "input"),
                ("check_name", "rule"),
                ("column_name", "column"),
                ("action", "action"),
                ("description", "what it does"),
                ("rows_in", "rows in"),
                ("rows_affected", "rows affected"),
                ("rows_out", "rows out"),
                ("example_values", "examples"),
            ],
            caption="Every rule, also those that matched nothing",
            source="data_quality",
        )
    )
    return section


def run_manifest(reader: MartReader) -> Section:
    section = Section(
        "manifest",
        "Run manifest: how to reproduce these figures",
        "The versions, configuration and input fingerprints of the build that produced the "
        "marts. Rebuilding from the same inputs and configuration gives the same hashes.",
        sources=["run_manifest"],
    )
    if absent(
        section,
        ["run_manifest"],
        reader,
        "run_manifest is not built in this project yet: versions and input hashes of "
        "the build are not recorded.",
    ):
        return section
    rows = reader.rows(
        "select * from {schema}.run_manifest order by run_started_at desc, run_id limit 1"
    )
    if not rows:
        section.notes.append("run_manifest has no rows.")
        return section
    latest = rows[0]
    pairs = [
        {"field": key, "value": value}
        for key, value in latest.items()
        if key not in ("configuration", "random_seeds")
    ]
    section.tables.append(
        table(
            pairs,
            [("field", "field"), ("value", "value")],
            caption="Latest build",
            source="run_manifest (latest run_started_at)",
            formats={"value": lambda v: "\u2013" if v is None else str(v)},
        )
    )
    for key in ("random_seeds", "configuration"):
        if latest.get(key):
            try:
                text = json.dumps(json.loads(latest[key]), indent=2, sort_keys=True)
            except (TypeError, ValueError):
                text = str(latest[key])
            section.details.append({"summary": key.replace("_", " "), "text": text})
    runs = reader.rows("select count(*) as n from {schema}.run_manifest")[0]["n"]
    section.intro += f" {runs:,} build(s) are recorded."
    return section


def executive_summary(reader: MartReader) -> dict[str, Any]:
    """Headline figures (cards) and one line per segment, all read from marts."""
    cards: list[dict[str, str]] = []
    lines: list[str] = []
    findings: list[str] = []
    if reader.has("customer_segments"):
        n = reader.rows("select count(*) as n from {schema}.customer_segments")[0]["n"]
        cards.append(
            {"value": f"{n:,}", "label": "customers scored", "source": "customer_segments"}
        )
    if reader.has("segment_model_selection"):
        chosen = reader.rows(
            "select k, selection_rule from {schema}.segment_model_selection where is_chosen"
        )
        if chosen:
            cards.append(
                {
                    "value": str(chosen[0]["k"]),
                    "label": "segments",
                    "source": "segment_model_selection",
                }
            )
    if reader.has("segment_recommendations"):
        audience = reader.rows(
            "select sum(audience_size) as audience, sum(customers) as customers, "
            "count(*) filter (where review_status = 'needs_review') as review "
            "from {schema}.segment_recommendations"
        )[0]
        cards.append(
            {
                "value": f"{audience['audience']:,}",
                "label": "consenting customers"
                + (
                    f" ({pct(audience['audience'] / audience['customers'], 0)})"
                    if audience["customers"]
                    else ""
                ),
                "source": "segment_recommendations",
            }
        )
        if audience["review"]:
            findings.append(
                f"{audience['review']} segment play(s) need a fairness review before use."
            )
    if reader.has("propensity_metrics"):
        served = reader.rows(
            "select model_name, roc_auc, baseline_roc_auc from {schema}.propensity_metrics "
            "where scope = 'all' and is_served"
        )
        if served:
            s = served[0]
            cards.append(
                {
                    "value": num(s["roc_auc"], 2),
                    "label": f"response model ROC-AUC (baseline {num(s['baseline_roc_auc'], 2)})",
                    "source": "propensity_metrics",
                }
            )
    if reader.has("segment_fairness_summary"):
        flagged = reader.rows(
            "select count(*) filter (where is_total_variation_flagged or "
            "is_parity_difference_flagged) as flagged, count(*) as attributes "
            "from {schema}.segment_fairness_summary where not is_intersection"
        )[0]
        cards.append(
            {
                "value": f"{flagged['flagged']} of {flagged['attributes']}",
                "label": "protected attributes flagged",
                "source": "segment_fairness_summary",
            }
        )
    if reader.has("data_quality"):
        dq = reader.rows(
            "select sum(rows_affected) filter (where action = 'excluded') as excluded, "
            "sum(rows_affected) filter (where action = 'repaired') as repaired "
            "from {schema}.data_quality"
        )[0]
        cards.append(
            {
                "value": f"{(dq['excluded'] or 0):,}",
                "label": f"input rows excluded, {(dq['repaired'] or 0):,} repaired",
                "source": "data_quality",
            }
        )
    if reader.has("segment_profiles", "segment_recommendations"):
        for r in reader.rows(
            "select p.segment_id, p.segment_name, p.customer_share, p.revenue_share, "
            "p.top_features, r.strategy, r.channel, r.review_status "
            "from {schema}.segment_profiles as p "
            "left join {schema}.segment_recommendations as r using (segment_id) "
            "order by p.customer_share desc, p.segment_id"
        ):
            revenue = (
                f", {pct(r['revenue_share'], 0)} of net revenue"
                if r["revenue_share"] is not None
                else ""
            )
            play = f" Play: {r['strategy']} ({r['channel']})." if r["strategy"] else ""
            review = " Needs fairness review." if r["review_status"] == "needs_review" else ""
            lines.append(
                {
                    "name": r["segment_name"],
                    "share": f"{pct(r['customer_share'], 0)} of customers{revenue}",
                    "text": "Stands out on "
                    + (r["top_features"] or "").replace("_", " ")
                    + f" (z-scores against the average customer).{play}{review}",
                }
            )
    return {"cards": cards, "segments": lines, "findings": findings}


SECTIONS = [
    segment_overview,
    recommendations,
    segment_map,
    profile_heatmap,
    rfm_grid,
    model_selection,
    propensity,
    fairness,
    propensity_fairness,
    data_quality,
    run_manifest,
]


def build_context(database: Path, schema: str = "main") -> dict[str, Any]:
    """Everything the template shows, read from the marts of ``database``."""
    reader = MartReader(database, schema)
    try:
        if not reader.has("customer_segments"):
            raise ValueError(
                f"{database} has no table {schema}.customer_segments: build the project "
                "(`make build`) into this file, or pass the schema the marts are in (--schema)."
            )
        sections = [make(reader) for make in SECTIONS]
        manifest = (
            reader.rows(
                "select run_id, run_started_at from {schema}.run_manifest "
                "order by run_started_at desc, run_id limit 1"
            )
            if reader.has("run_manifest")
            else []
        )
        return {
            "summary": executive_summary(reader),
            "sections": sections,
            "database_name": Path(database).name,
            "schema": schema,
            "run": manifest[0] if manifest else None,
        }
    finally:
        reader.close()


def render_report(database: Path, output: Path, schema: str = "main") -> Path:
    """Write the self-contained HTML report for the marts in ``database`` to ``output``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("customer_segmentation.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = environment.get_template(TEMPLATE_NAME).render(**build_context(database, schema))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return output
