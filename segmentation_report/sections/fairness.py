"""Fairness of the segments: what is flagged and why first, the full figures in the appendix."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.charts import IntervalRow
from segmentation_report.elements import Section, absent, chart, pct, table
from segmentation_report.marts import MartReader, Row
from segmentation_report.sections.flags import SEGMENT_FLAGS, count_sentence, raised, reason

LEAD_ROWS = 8


def _interval_rows(rows: list[Row], names: dict[int, str]) -> list[IntervalRow]:
    result = []
    for r in rows:
        note = "suppressed" if r.get("is_suppressed") else ""
        if not note and r.get("difference_to_population") is not None:
            note = f"{100 * r['difference_to_population']:+.1f} pts"
        if r.get("is_low_confidence") and not r.get("is_suppressed"):
            note += " (small group)"
        flags = [f.name for f in raised(r, SEGMENT_FLAGS)]
        if flags:
            note += " \u00b7 " + ", ".join(flags)
        result.append(
            IntervalRow(
                label=f"{names.get(r['segment_id'], r['segment_id'])} \u00b7 {r['group_name']}",
                estimate=r.get("group_share"),
                lower=r.get("share_ci_lower"),
                upper=r.get("share_ci_upper"),
                reference=r.get("population_share"),
                flagged=bool(flags),
                note=note,
            )
        )
    return result


def _findings(section: Section, rows: list[Row], names: dict[int, str]) -> None:
    for attribute in dict.fromkeys(r["attribute_name"] for r in rows):
        subset = [r for r in rows if r["attribute_name"] == attribute]
        section.findings.append(
            f"{attribute}: {count_sentence(subset, SEGMENT_FLAGS, 'group-in-segment shares')}."
        )
    flagged = sorted(
        (r for r in rows if raised(r, SEGMENT_FLAGS)),
        key=lambda r: (
            r["is_intersection"],
            -abs(r.get("difference_to_population") or 0.0),
            r["attribute_name"],
            r["segment_id"],
            r["group_name"],
        ),
    )
    if not flagged:
        return
    lead = [
        {
            **r,
            "segment": names.get(r["segment_id"], str(r["segment_id"])),
            "why": reason(r, SEGMENT_FLAGS),
        }
        for r in flagged[:LEAD_ROWS]
    ]
    section.tables.append(
        table(
            lead,
            [
                ("attribute_name", "attribute"),
                ("group_name", "group"),
                ("segment", "segment"),
                ("group_customers", "group size"),
                ("why", "why it is flagged"),
            ],
            caption=f"What is flagged: {len(lead)} of {len(flagged):,} flagged shares, single "
            "attributes first, then the largest differences (every row is in the appendix)",
            source="segment_fairness",
        )
    )


def fairness(reader: MartReader) -> Section:
    section = Section(
        "fairness",
        "Fairness: are protected groups spread evenly over the segments?",
        "Protected attributes are never model features; they are used only here. For each "
        "attribute, group and segment, segment_fairness compares the share of the group that "
        "falls in the segment with the share of all customers, and flags it under the "
        "project's rule. Below: how many shares each attribute has flagged, and why the "
        "largest are flagged; the appendix has every figure with its 95% interval.",
        sources=["segment_fairness", "segment_fairness_summary", "proxy_check"],
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
    names = {}
    if reader.has("segment_profiles"):
        names = {
            r["segment_id"]: r["segment_name"]
            for r in reader.rows("select segment_id, segment_name from {schema}.segment_profiles")
        }
    rows = reader.rows(
        "select * from {schema}.segment_fairness "
        "order by is_intersection, attribute_name, segment_id, group_name"
    )
    _findings(section, rows, names)
    if reader.has("proxy_check"):
        _proxies(section, reader)
    if reader.has("segment_fairness_summary"):
        _summary_table(section, reader)
    for attribute in dict.fromkeys(r["attribute_name"] for r in rows if not r["is_intersection"]):
        subset = [r for r in rows if r["attribute_name"] == attribute]
        section.appendix_charts.append(
            chart(
                charts.interval_chart(
                    _interval_rows(subset, names),
                    title=f"Segment shares by {attribute}",
                    x_label="share of the group in the segment",
                ),
                f"{attribute}: share of each group in each segment with its 95% interval; grey "
                "tick = all customers; note = difference in percentage points and the flags "
                "raised (red).",
                "segment_fairness.group_share, share_ci_lower, share_ci_upper, population_share, "
                "is_parity_flagged, is_four_fifths_flagged",
            )
        )
    intersections = [r for r in rows if r["is_intersection"] and raised(r, SEGMENT_FLAGS)]
    if intersections:
        section.appendix_tables.append(
            table(
                sorted(intersections, key=lambda r: -abs(r.get("difference_to_population") or 0)),
                [
                    ("attribute_name", "intersection"),
                    ("group_name", "group"),
                    ("segment_id", "segment"),
                    ("group_customers", "group size"),
                    ("group_share", "group share"),
                    ("population_share", "all customers"),
                    ("difference_to_population", "difference"),
                    ("ratio_to_best", "ratio to best"),
                    ("is_parity_flagged", "parity flag"),
                    ("is_four_fifths_flagged", "four-fifths flag"),
                    ("is_low_confidence", "small group"),
                ],
                caption=f"Every flagged intersection share ({len(intersections):,}), largest "
                "differences first",
                source="segment_fairness (is_intersection)",
                formats={
                    "group_share": pct,
                    "population_share": pct,
                    "difference_to_population": pct,
                },
            )
        )
    return section


def _proxies(section: Section, reader: MartReader) -> None:
    flagged = reader.rows(
        "select feature_name, attribute_name, association from {schema}.proxy_check "
        "where is_proxy_flagged order by association desc, feature_name, attribute_name"
    )
    if flagged:
        pairs = ", ".join(
            f"{r['feature_name']} for {r['attribute_name']} ({r['association']:.2f})"
            for r in flagged
        )
        section.findings.append(
            f"Proxies: {len(flagged)} model feature(s) could stand in for a protected "
            f"attribute: {pairs} (proxy_check)."
        )
    else:
        section.findings.append(
            "Proxies: no model feature is flagged as standing in for a protected attribute "
            "(proxy_check)."
        )
    section.appendix_tables.append(
        table(
            reader.rows("select * from {schema}.proxy_check order by association desc limit 10"),
            [
                ("feature_name", "feature"),
                ("feature_roles", "used by"),
                ("attribute_name", "attribute"),
                ("association_measure", "measure"),
                ("association", "association (eta or Cramér's V)"),
                ("most_distinct_group_name", "most distinct group"),
                ("is_proxy_flagged", "proxy flag"),
            ],
            caption="Could a model feature stand in for a protected attribute? (top 10)",
            source="proxy_check",
            flag_column="is_proxy_flagged",
        )
    )


def _summary_table(section: Section, reader: MartReader) -> None:
    summary = reader.rows(
        "select * from {schema}.segment_fairness_summary order by is_intersection, attribute_name"
    )
    for r in summary:
        r["flagged"] = bool(
            r.get("is_total_variation_flagged") or r.get("is_parity_difference_flagged")
        )
    section.appendix_tables.insert(
        0,
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
            caption="Parity by attribute (flagged attributes marked)",
            source="segment_fairness_summary",
            flag_column="flagged",
        ),
    )
