"""Segment sizes, recommended plays and the profile heatmap."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.elements import (
    Section,
    absent,
    chart,
    num,
    pct,
    table,
)
from segmentation_report.marts import MartReader


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
                axis_format=".0%",
                x_label="share",
            ),
            "Share of customers and of net revenue per segment.",
            "segment_profiles.customer_share, revenue_share",
        )
    )
    if not has_revenue:
        section.notes.append("No transactions input: revenue shares are not available.")
    columns = [
        ("segment_id", "id"),
        ("segment_name", "segment"),
        ("customers", "customers"),
        ("customer_share", "share"),
        ("revenue_share", "revenue share"),
        ("mean_confidence", "mean confidence"),
        ("top_features", "most distinguishing features (z-score)"),
    ]
    # how many members lack the credit family as a whole (null: no credit input)
    if any(p.get("share_without_credit_account") is not None for p in profiles):
        columns.insert(6, ("share_without_credit_account", "without a credit account"))
        own = [p for p in profiles if p.get("is_clustered") is False]
        if own:
            section.notes.append(
                ", ".join(f"{p['segment_name']} ({p['customers']:,} customers)" for p in own)
                + ": customers without a feature family the model uses, a segment of their own "
                "that K-Means neither fits nor scores (no confidence); every other segment is "
                "fitted on customers who have each family."
            )
    section.tables.append(
        table(
            profiles,
            columns,
            caption="Segment profiles",
            source="segment_profiles",
            formats={
                "customer_share": pct,
                "revenue_share": pct,
                "mean_confidence": lambda v: num(v, 2),
                "share_without_credit_account": pct,
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
        column_label_angle=-30,
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
