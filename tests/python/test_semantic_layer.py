"""The semantic layer (models/semantic): MetricFlow validates its semantic models and
metrics against the demo build's published database, and the metrics it queries there
equal the marts' figures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR, DbtResult, dbt_command, run_dbt

pytestmark = pytest.mark.dbt

MF = Path(sys.executable).with_name("mf")
# what mf needs of the project; its target/ is the test's own
PROJECT_ENTRIES = (
    "dbt_project.yml",
    "models",
    "python_models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
)


@pytest.fixture(scope="module")
def metricflow(demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the parse mf reads and a view of the project whose target/ holds it
    (`mf validate-configs` reads <project>/target/semantic_manifest.json whatever the
    target path)."""
    work = tmp_path_factory.mktemp("metricflow")
    # parsed for the target mf queries, so the relations name its database
    run_dbt(work, "parse", "--target", "published")
    project = work / "project"
    project.mkdir()
    for name in PROJECT_ENTRIES:
        (project / name).symlink_to(PROJECT_DIR / name)
    (project / "target").symlink_to(work / "target")
    return work


def run_mf(work: Path, published: Path, *args: str) -> subprocess.CompletedProcess:
    """`mf <args>` on the published database, read-only, as a reader runs it (target
    published of profiles/profiles.yml)."""
    _, env = dbt_command(work)
    env = {
        **env,
        "DBT_PROJECT_DIR": str(work / "project"),
        "DBT_TARGET": "published",
        "SEGMENTATION_DUCKDB_PATH": str(published),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    completed = subprocess.run(
        [str(MF), *args], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def mf_query(
    work: Path, published: Path, metrics: str, group_by: str | None = None
) -> pd.DataFrame:
    output = work / f"{metrics.replace(',', '_')}_{group_by}.csv"
    grouping = ["--group-by", group_by] if group_by else []
    run_mf(work, published, "query", "--metrics", metrics, *grouping, "--csv", str(output))
    return pd.read_csv(output)


def test_metricflow_validates_the_semantic_models_against_the_build(
    metricflow: Path, demo_build: DbtResult
) -> None:
    # the semantic checks, then every measure, dimension and metric queried on DuckDB
    output = run_mf(metricflow, demo_build.published, "validate-configs").stdout
    assert "Successfully validated the semantics" in output
    assert "Successfully validated metrics against data warehouse" in output
    counts = re.findall(r"\b(ERRORS|FUTURE_ERRORS|WARNINGS): (\d+)", output)
    assert len(counts) == 3 * 6 and {count for _, count in counts} == {"0"}, output


def test_segment_metrics_equal_the_marts(metricflow: Path, demo_build: DbtResult) -> None:
    got = mf_query(
        metricflow,
        demo_build.published,
        "customers,revenue_share,audience_size",
        "segment__segment_name",
    ).set_index("segment__segment_name")
    expected = demo_build.query_published(
        """
        select profiles.segment_name, profiles.customers, profiles.revenue_share,
            plays.audience_size
        from segment_profiles as profiles
        inner join segment_recommendations as plays on profiles.segment_id = plays.segment_id
        """
    ).set_index("segment_name")
    assert sorted(got.index) == sorted(expected.index)
    got = got.loc[expected.index]
    assert got["customers"].tolist() == expected["customers"].tolist()
    assert got["audience_size"].tolist() == expected["audience_size"].tolist()
    assert got["revenue_share"].to_numpy() == pytest.approx(expected["revenue_share"].to_numpy())


def test_propensity_metrics_equal_the_marts(metricflow: Path, demo_build: DbtResult) -> None:
    got = mf_query(
        metricflow, demo_build.published, "response_rate,expected_conversions,targeted_customers"
    ).iloc[0]
    # the demo's 1,926 contacted customers are all evaluated (below propensity_oof_max_rows)
    overall = demo_build.query_published(
        "select response_rate from propensity_metrics where scope = 'all' and is_served"
    )["response_rate"].item()
    targets = demo_build.query_published(
        "select max(cumulative_expected_conversions) as expected, count(*) as customers "
        "from campaign_targets"
    ).iloc[0]
    assert got["response_rate"] == pytest.approx(overall)
    assert got["expected_conversions"] == pytest.approx(targets["expected"])
    assert got["targeted_customers"] == targets["customers"]


def test_without_the_propensity_marts_their_semantic_models_are_disabled(tmp_path: Path) -> None:
    run_dbt(tmp_path, "parse", variables={"optional_inputs": ["transactions", "credit_accounts"]})
    manifest = json.loads((tmp_path / "target" / "semantic_manifest.json").read_text())
    assert {model["name"] for model in manifest["semantic_models"]} == {"segments", "segment_plays"}
    assert "response_rate" not in {metric["name"] for metric in manifest["metrics"]}
    assert "customers" in {metric["name"] for metric in manifest["metrics"]}
