"""The report assembled: every section read from the marts, rendered into one HTML file.

Every number in the report is read from a mart (the section names it): the report only
selects, orders and places figures, it never recomputes a model quality figure, share or
fairness measure a different way. A section whose marts are absent (its feature family
is switched off, or the model is not built yet) says so instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from segmentation_report.marts import MARTS_SCHEMA, MartReader
from segmentation_report.sections.audit import data_quality, run_manifest
from segmentation_report.sections.explanations import explained_customers
from segmentation_report.sections.fairness import fairness
from segmentation_report.sections.model_selection import model_selection
from segmentation_report.sections.propensity import propensity
from segmentation_report.sections.propensity_fairness import propensity_fairness
from segmentation_report.sections.rfm import rfm_grid
from segmentation_report.sections.segment_map import segment_map
from segmentation_report.sections.segments import (
    profile_heatmap,
    recommendations,
    segment_overview,
)
from segmentation_report.summary import executive_summary

TEMPLATE_NAME = "report.html.j2"


SECTIONS = [
    segment_overview,
    recommendations,
    segment_map,
    profile_heatmap,
    explained_customers,
    rfm_grid,
    model_selection,
    propensity,
    fairness,
    propensity_fairness,
    data_quality,
    run_manifest,
]


def build_context(database: Path, schema: str = MARTS_SCHEMA) -> dict[str, Any]:
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


def render_report(database: Path, output: Path, schema: str = MARTS_SCHEMA) -> Path:
    """Write the self-contained HTML report for the marts in ``database`` to ``output``."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("segmentation_report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = environment.get_template(TEMPLATE_NAME).render(**build_context(database, schema))
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return output
