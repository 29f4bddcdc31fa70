"""The response model: quality against the baseline, lift, gains, calibration."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.charts import Series
from segmentation_report.elements import (
    Section,
    absent,
    chart,
    num,
    pct,
    table,
)
from segmentation_report.marts import MartReader


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
        "The propensity model is not built (no campaign_responses input and no customers "
        "outcome in var propensity_outcome).",
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
    first = metrics[0] if metrics else {}
    if first.get("outcome_direction"):
        section.notes.append(
            f"Outcome: {first['outcome_name']} ({first['outcome_direction']}, from "
            f"{first['outcome_source']}); 'response' below means this outcome. Served model: "
            f"{first.get('selection_rule')} (propensity_metrics)."
        )
    adverse = first.get("outcome_direction") == "adverse"
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
                x_format=".0%",
                y_format=".0%",
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
                width=360,
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
        kind, expected = (
            ("Retention list", "expected adverse outcomes")
            if adverse
            else ("Campaign target list", "expected conversions")
        )
        section.notes.append(
            f"{kind}: {targets['customers']:,} consenting customers, "
            f"{num(targets['expected'], 1)} {expected}, lowest score on the list "
            f"{num(targets['lowest_score'])} (campaign_targets)."
        )
    else:
        section.notes.append("campaign_targets is not in the database.")
    return section
