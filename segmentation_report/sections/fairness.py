"""Fairness: segment parity by protected attribute, and the response model's group rates."""

from __future__ import annotations

from collections.abc import Sequence

from segmentation_report import charts
from segmentation_report.charts import IntervalRow
from segmentation_report.elements import (
    Section,
    absent,
    chart,
    pct,
    table,
)
from segmentation_report.marts import MartReader, Row

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
            "select * from {schema}.proxy_check order by association desc limit 10"
        )
        section.tables.append(
            table(
                proxies,
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
