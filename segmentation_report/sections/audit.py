"""Data quality counts and the run manifest."""

from __future__ import annotations

import json

from segmentation_report import charts
from segmentation_report.elements import (
    Section,
    absent,
    chart,
    table,
)
from segmentation_report.marts import MartReader


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
