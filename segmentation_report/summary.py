"""The executive summary: headline figures and one line per segment with its play."""

from __future__ import annotations

from typing import Any

from segmentation_report.elements import (
    num,
    pct,
)
from segmentation_report.marts import MartReader


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
