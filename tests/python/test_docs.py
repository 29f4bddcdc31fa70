"""dbt docs: generated on the demo build, with the overview page and the exposures."""

from __future__ import annotations

import copy
import json
import re

import pytest
from dbt_runner import DbtResult, copy_build, run_dbt

from segmentation_report.marts import REPORT_MARTS

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def docs(demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory) -> dict:
    # on a copy: dbt opens its database for writing, and other tests read the demo's
    work = copy_build(demo_build, tmp_path_factory.mktemp("docs"))
    run_dbt(work, "docs", "generate")
    target = work / "target"
    return {
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
    }


def test_overview_page_is_the_projects(docs: dict) -> None:
    overview = docs["manifest"]["docs"]["doc.customer_segmentation.__overview__"]
    assert "How to read the marts" in overview["block_contents"]


def _built_models(manifest: dict) -> set[str]:
    return {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}


def _exposure_parents(manifest: dict, name: str) -> set[str]:
    exposure = manifest["exposures"][f"exposure.customer_segmentation.{name}"]
    return {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}


def test_report_exposure_depends_on_every_built_mart_the_report_reads(docs: dict) -> None:
    # models/exposures.yml holds two versions (with and without the campaign model's
    # marts, which a build can disable); the demo build has campaign_responses, so the
    # enabled one must list the propensity marts and campaign_targets too
    manifest = docs["manifest"]
    depends_on = _exposure_parents(manifest, "segmentation_audit_report")
    missing = (set(REPORT_MARTS) & _built_models(manifest)) - depends_on
    assert not missing, f"add ref() to these marts in models/exposures.yml: {sorted(missing)}"
    assert depends_on <= set(REPORT_MARTS)
    assert {"propensity_metrics", "campaign_targets"} <= depends_on


def test_parquet_export_exposure_and_catalog(docs: dict) -> None:
    manifest = docs["manifest"]
    depends_on = _exposure_parents(manifest, "marts_parquet_export")
    missing = (set(PUBLIC_MARTS) & _built_models(manifest)) - depends_on
    assert not missing, f"add ref() to these marts in models/exposures.yml: {sorted(missing)}"
    assert "campaign_targets" in depends_on
    # the catalog was read from the built database: the marts have their columns
    catalog = docs["catalog"]["nodes"]["model.customer_segmentation.customer_segments"]
    assert {"customer_id", "segment_id", "segment_name"} <= set(catalog["columns"])


def test_make_docs_catalog_is_the_published_database(
    demo_build: DbtResult, docs: dict, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # `make docs` reads the catalog from the published file, never the workspace (a
    # copy: the workspace-wide catalog above serves the coverage checks)
    work = copy_build(demo_build, tmp_path_factory.mktemp("published_docs"))
    run_dbt(work, "docs", "generate", "--target", "published", "--no-compile")
    catalog = json.loads((work / "target" / "catalog.json").read_text())["nodes"]
    published = set(
        demo_build.query_published("select table_name from duckdb_tables()")["table_name"]
    )
    assert {node.split(".")[-1] for node in catalog} == published
    assert "int_customer_features" not in published and "customer_segments" in published
    # the marts in their own schema, with the descriptions persisted as comments
    assert {entry["metadata"]["schema"] for entry in catalog.values()} == {"marts"}
    segments = catalog["model.customer_segmentation.customer_segments"]
    described = docs["manifest"]["nodes"]["model.customer_segmentation.customer_segments"]
    assert segments["metadata"]["comment"] == described["description"]
    assert (
        segments["columns"]["segment_id"]["comment"]
        == (described["columns"]["segment_id"]["description"])
    )
    uncommented = sorted(
        f"{node.split('.')[-1]}.{name}"
        for node, entry in catalog.items()
        for name, column in entry["columns"].items()
        if not column.get("comment")
    )
    assert not uncommented, f"published columns without a comment: {uncommented}"


# ---------------------------------------------------------------- documentation coverage

PROJECT = "customer_segmentation"
DOCUMENTED_NODE_TYPES = ("model", "seed", "snapshot")
# `{% macro name(args) %}` or `{% test name(args) %}`, the signature of a macro
SIGNATURE = re.compile(r"\{%-?\s*(?:macro|test)\s+\w+\s*\((.*?)\)\s*-?%\}", re.S)


def _described(entry: dict) -> bool:
    return bool((entry.get("description") or "").strip())


def _signature_arguments(macro_sql: str) -> list[str]:
    """Argument names of a macro's signature (defaults dropped)."""
    match = SIGNATURE.search(macro_sql)
    if not match or not match.group(1).strip():
        return []
    names, depth, current = [], 0, ""
    for character in match.group(1) + ",":
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        if character == "," and depth == 0:
            names.append(current.split("=")[0].strip())
            current = ""
        else:
            current += character
    return [name for name in names if name]


def undocumented(manifest: dict, catalog: dict) -> list[str]:
    """Every documentation gap of the project, one line each."""
    gaps: list[str] = []
    nodes = {**manifest["nodes"], **manifest["sources"]}
    catalog_nodes = {**catalog["nodes"], **catalog["sources"]}
    for unique_id, node in sorted(nodes.items()):
        kind = node["resource_type"]
        if node["package_name"] != PROJECT or kind not in (*DOCUMENTED_NODE_TYPES, "source"):
            continue
        if not _described(node):
            gaps.append(f"{unique_id}: no description")
        elif kind == "model" and not node["description"].strip().startswith("One row per"):
            gaps.append(f"{unique_id}: description does not start with its grain (One row per)")
        yaml_columns = {name.lower(): column for name, column in node["columns"].items()}
        for name, column in yaml_columns.items():
            if not _described(column):
                gaps.append(f"{unique_id}.{name}: column without a description")
        built = catalog_nodes.get(unique_id, {}).get("columns", {})
        # a table whose other columns are a registered model's (named in meta, and in
        # its description) documents only its fixed ones
        if (node.get("config", {}).get("meta") or {}).get("columns_of_model"):
            built = {}
        for name in built:
            if name.lower() not in yaml_columns:
                gaps.append(f"{unique_id}.{name}: column in the built table, not in the YAML")
    macros = {m["name"]: m for m in manifest["macros"].values() if m["package_name"] == PROJECT}
    for name, macro in sorted(macros.items()):
        if not _described(macro):
            gaps.append(f"macro {name}: no description (add it to macros/<folder>/_*__macros.yml)")
        # an adapter implementation (default__x, duckdb__x) shares x's documented arguments
        if "__" in name and name.split("__", 1)[1] in macros:
            continue
        documented = {a["name"]: a for a in macro["arguments"]}
        for argument in _signature_arguments(macro["macro_sql"]):
            if argument not in documented or not _described(documented[argument]):
                gaps.append(f"macro {name}: argument {argument} not documented")
        stale = set(documented) - set(_signature_arguments(macro["macro_sql"]))
        if stale:
            gaps.append(f"macro {name}: documents arguments it does not take: {sorted(stale)}")
    for unique_id, exposure in sorted(manifest["exposures"].items()):
        if exposure["package_name"] == PROJECT and not _described(exposure):
            gaps.append(f"{unique_id}: no description")
    return gaps


def test_everything_is_documented_with_its_grain(docs: dict) -> None:
    gaps = undocumented(docs["manifest"], docs["catalog"])
    assert not gaps, f"{len(gaps)} documentation gaps:\n" + "\n".join(gaps)


def test_the_coverage_check_finds_each_kind_of_gap(docs: dict) -> None:
    """The check above on a copy of the real manifest with one gap of each kind put in."""
    manifest = copy.deepcopy(docs["manifest"])
    catalog = copy.deepcopy(docs["catalog"])
    model = manifest["nodes"]["model.customer_segmentation.segment_profiles"]
    model["description"] = "Segments, their sizes and shares."
    model["columns"].pop("segment_name")
    model["columns"]["customers"]["description"] = ""
    manifest["macros"]["macro.customer_segmentation.percentile"]["arguments"] = []
    manifest["macros"]["macro.customer_segmentation.default__percentile"]["description"] = ""
    seed = next(n for n in manifest["nodes"].values() if n["resource_type"] == "seed")
    seed["description"] = " "
    gaps = "\n".join(undocumented(manifest, catalog))
    assert "segment_profiles: description does not start with its grain" in gaps
    assert "segment_profiles.segment_name: column in the built table, not in the YAML" in gaps
    assert "segment_profiles.customers: column without a description" in gaps
    assert "macro percentile: argument expression not documented" in gaps
    assert "macro default__percentile: no description" in gaps
    assert f"{seed['unique_id']}: no description" in gaps


# ---------------------------------------------------------------- contracts

# The marts BI tools query (README "Report and BI access"): each has an enforced contract
# (column names and data types checked by dbt before the table is replaced) unless it is
# listed in CONTRACT_EXCLUSIONS with the reason, which its YAML description also gives.
PUBLIC_MARTS = (
    "customer_segments",
    "segment_profiles",
    "segment_feature_profiles",
    "segment_category_profiles",
    "customer_category_levels",
    "segment_centroids",
    "segment_model_selection",
    "segment_recommendations",
    "segment_map_loadings",
    "propensity_scores",
    "propensity_metrics",
    "propensity_lift",
    "campaign_targets",
    "segment_fairness",
    "segment_fairness_summary",
    "propensity_fairness",
    "proxy_check",
    "data_quality",
)
CONTRACT_EXCLUSIONS: dict[str, str] = {}


def contract_problems(manifest: dict) -> list[str]:
    """Public marts without an enforced, fully typed contract and not excluded with a reason."""
    models = {
        n["name"]: n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["package_name"] == PROJECT
    }
    problems = []
    for name in PUBLIC_MARTS:
        node = models.get(name)
        if node is None:
            problems.append(f"{name}: not in the manifest")
        elif name in CONTRACT_EXCLUSIONS:
            if CONTRACT_EXCLUSIONS[name] not in node["description"]:
                problems.append(f"{name}: its description must give the exclusion reason")
        elif not node["contract"]["enforced"]:
            problems.append(f"{name}: no `config: contract: {{enforced: true}}`")
        else:
            untyped = [c for c, column in node["columns"].items() if not column.get("data_type")]
            if untyped:
                problems.append(f"{name}: columns without data_type: {untyped}")
    return problems


def test_every_public_mart_has_an_enforced_contract_or_a_stated_reason(docs: dict) -> None:
    problems = contract_problems(docs["manifest"])
    assert not problems, "\n".join(problems)
    # and the check finds a mart whose contract is switched off or incomplete
    manifest = copy.deepcopy(docs["manifest"])
    manifest["nodes"]["model.customer_segmentation.data_quality"]["contract"]["enforced"] = False
    manifest["nodes"]["model.customer_segmentation.proxy_check"]["columns"]["customers"].pop(
        "data_type"
    )
    assert contract_problems(manifest) == [
        "proxy_check: columns without data_type: ['customers']",
        "data_quality: no `config: contract: {enforced: true}`",
    ]
