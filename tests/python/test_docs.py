"""dbt docs: generated on the demo build, with the overview page and the exposures."""

from __future__ import annotations

import json

import pytest
from dbt_runner import DbtResult, run_dbt

from customer_segmentation.report.build import REPORT_MARTS

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def docs(demo_build: DbtResult) -> dict:
    run_dbt(demo_build.database.parent, "docs", "generate")
    target = demo_build.database.parent / "target"
    return {
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
    }


def test_overview_page_is_the_projects(docs: dict) -> None:
    overview = docs["manifest"]["docs"]["doc.customer_segmentation.__overview__"]
    assert "How to read the marts" in overview["block_contents"]


def test_report_exposure_depends_on_every_built_mart_the_report_reads(docs: dict) -> None:
    manifest = docs["manifest"]
    models = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    exposure = manifest["exposures"]["exposure.customer_segmentation.segmentation_audit_report"]
    depends_on = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    # dbt refuses an exposure on a model a build can disable (campaign_responses off)
    can_be_disabled = {
        "propensity_metrics",
        "propensity_lift",
        "propensity_fairness",
        "campaign_targets",
    }
    missing = (set(REPORT_MARTS) & models) - depends_on - can_be_disabled
    assert not missing, f"add ref() to these marts in models/exposures.yml: {sorted(missing)}"
    assert depends_on <= set(REPORT_MARTS)


def test_parquet_export_exposure_and_catalog(docs: dict) -> None:
    exposure = docs["manifest"]["exposures"]["exposure.customer_segmentation.marts_parquet_export"]
    assert "model.customer_segmentation.customer_segments" in exposure["depends_on"]["nodes"]
    # the catalog was read from the built database: the marts have their columns
    catalog = docs["catalog"]["nodes"]["model.customer_segmentation.customer_segments"]
    assert {"customer_id", "segment_id", "segment_name"} <= set(catalog["columns"])
