"""Fairness of the response model: flagged groups and why first, every rate in the appendix."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.charts import IntervalRow
from segmentation_report.elements import Section, absent, chart, num, pct, table
from segmentation_report.marts import MartReader, Row
from segmentation_report.sections.flags import PROPENSITY_FLAGS, count_sentence, raised, reason

LEAD_ROWS = 8
KEYS = ("attribute_name", "group_name")
# columns per appendix table besides the keys: an A4 page's width at the print font
COLUMNS_PER_TABLE = 7


def _rates(columns: list[str]) -> list[str]:
    """Rates the mart publishes with an interval (``<rate>_ci_lower`` and ``_ci_upper``)."""
    return [
        c.removesuffix("_ci_lower")
        for c in columns
        if c.endswith("_ci_lower")
        and {c.removesuffix("_ci_lower"), c[:-5] + "upper"} <= set(columns)
    ]


def _largest_gap(row: Row, rates: list[str]) -> float:
    return max((abs(row.get(f"{rate}_difference") or 0.0) for rate in rates), default=0.0)


def _interval_rows(rows: list[Row], rate: str) -> list[IntervalRow]:
    result = []
    for r in rows:
        flags = [f.name for f in raised(r, PROPENSITY_FLAGS)]
        note = "suppressed" if r.get("is_suppressed") else ""
        if not note and r.get(f"{rate}_difference") is not None:
            note = f"{100 * r[f'{rate}_difference']:+.1f} pts to best"
        if flags:
            note += " \u00b7 " + ", ".join(flags)
        result.append(
            IntervalRow(
                label=f"{r.get('attribute_name', '')} \u00b7 {r.get('group_name', '')}",
                estimate=r.get(rate),
                lower=r.get(f"{rate}_ci_lower"),
                upper=r.get(f"{rate}_ci_upper"),
                reference=r.get(f"best_{rate}"),
                flagged=bool(flags),
                note=note,
            )
        )
    return result


def _findings(section: Section, rows: list[Row], rates: list[str]) -> None:
    first = rows[0] if rows else {}
    if first.get("model_name"):
        section.findings.append(
            f"Model {first['model_name']} selecting customers with a score of at least "
            f"{num(first.get('threshold'))} ({first.get('outcome_direction', '')} outcome)."
        )
    for attribute in dict.fromkeys(r.get("attribute_name") for r in rows):
        subset = [r for r in rows if r.get("attribute_name") == attribute]
        section.findings.append(
            f"{attribute}: {count_sentence(subset, PROPENSITY_FLAGS, 'groups')}."
        )
    flagged = sorted(
        (r for r in rows if raised(r, PROPENSITY_FLAGS)),
        key=lambda r: (
            bool(r.get("is_intersection")),
            -_largest_gap(r, rates),
            str(r.get("attribute_name")),
            str(r.get("group_name")),
        ),
    )
    if flagged:
        lead = [{**r, "why": reason(r, PROPENSITY_FLAGS)} for r in flagged[:LEAD_ROWS]]
        section.tables.append(
            table(
                lead,
                [
                    ("attribute_name", "attribute"),
                    ("group_name", "group"),
                    ("customers", "customers"),
                    ("why", "why it is flagged"),
                ],
                caption=f"What is flagged: {len(lead)} of {len(flagged):,} flagged groups, "
                "single attributes first, then the largest gaps (every rate is in the appendix)",
                source="propensity_fairness",
            )
        )


def _appendix_tables(section: Section, rows: list[Row], columns: list[str], rates: list[str]):
    """Every column of the mart, split so that each table fits the page: one per rate,
    then the rest in groups, each repeating the group's name."""
    keys = [c for c in KEYS if c in columns]
    groups = [
        [c for c in columns if c == r or c.startswith(f"{r}_") or c == f"best_{r}"] for r in rates
    ]
    placed = {c for g in groups for c in g} | set(keys)
    rest = [c for c in columns if c not in placed]
    groups += [rest[i : i + COLUMNS_PER_TABLE] for i in range(0, len(rest), COLUMNS_PER_TABLE)]
    for row in rows:
        row["_flagged"] = bool(raised(row, PROPENSITY_FLAGS))
    percent = {
        c
        for r in rates
        if r != "roc_auc"  # an area under a curve, not a rate: a plain number
        for c in (r, f"{r}_ci_lower", f"{r}_ci_upper", f"best_{r}", f"{r}_difference")
    }
    for number, group in enumerate(groups, start=1):
        section.appendix_tables.append(
            table(
                rows,
                [(c, c.replace("_", " ")) for c in keys + group],
                caption=f"Group rates, part {number} of {len(groups)}: "
                + ", ".join(c.replace("_", " ") for c in group),
                source="propensity_fairness",
                flag_column="_flagged",
                formats={c: pct for c in group if c in percent},
            )
        )


def propensity_fairness(reader: MartReader) -> Section:
    section = Section(
        "propensity-fairness",
        "Fairness of the response model",
        "Per protected group, propensity_fairness compares the rates at which the model "
        "selects customers and finds responders with the best group's, and flags them under "
        "the project's rule. Below: how many groups each attribute has flagged, and why; the "
        "appendix has every rate with its 95% interval.",
        sources=["propensity_fairness"],
        tables_first=True,
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
    rates = _rates(columns)
    order = [c for c in ("is_intersection", *KEYS) if c in columns]
    rows = reader.rows(
        "select * from {schema}.propensity_fairness"
        + (" order by " + ", ".join(order) if order else "")
    )
    _findings(section, rows, rates)
    singles = [r for r in rows if not r.get("is_intersection")]
    for rate in rates:
        section.appendix_charts.append(
            chart(
                charts.interval_chart(
                    _interval_rows(singles, rate),
                    title=f"{rate} by group",
                    x_label=rate.replace("_", " "),
                    axis_format=".2f" if rate == "roc_auc" else ".0%",
                ),
                f"{rate.replace('_', ' ')} per group (single attributes) with its 95% interval; "
                "grey tick = the best group; intersections are in the tables below.",
                f"propensity_fairness.{rate}, {rate}_ci_lower, {rate}_ci_upper, best_{rate}",
            )
        )
    _appendix_tables(section, rows, columns, rates)
    return section
