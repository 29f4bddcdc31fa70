"""The propensity lifecycle through real dbt builds of the demo: the first build fitted
and registered a version; a daily build fits nothing (any scikit-learn fit raises) and
gives the same propensity marts; a changed configuration is refused with what to run;
a retrain registers a new version; and the SQL scores of each version equal the
library's predictions of the same fit for every customer."""

from __future__ import annotations

import pytest
from dbt_runner import DbtResult, copy_build, run_dbt
from propensity_checks import (
    assert_same_propensity_marts,
    assert_sql_equals_library,
    run_dbt_without_fits,
)

from customer_segmentation.lifecycle.mode import PROPENSITY

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def daily(demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    """A second `dbt build` of the demo on the first one's database, in which every
    scikit-learn fit raises."""
    work = copy_build(demo_build, tmp_path_factory.mktemp("propensity_daily"))
    return run_dbt_without_fits(work, "build")


def test_the_daily_build_fits_nothing_and_keeps_every_propensity_mart(
    demo_build: DbtResult, daily: DbtResult
) -> None:
    assert_same_propensity_marts(demo_build, daily)
    assert len(daily.query("select * from propensity_model_registry")) == 1


def test_sql_scores_equal_the_library_for_every_demo_customer(demo_build: DbtResult) -> None:
    figures = assert_sql_equals_library(demo_build)
    assert figures["customers"] == 5000


def test_a_changed_configuration_is_refused_saying_what_changed_and_what_to_run(
    daily: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = copy_build(daily, tmp_path_factory.mktemp("propensity_refused"))
    refused = run_dbt(work, "build", variables={"propensity_blend_weight": 0.3}, check=False)
    assert refused.returncode != 0
    assert "The configuration of the propensity model changed" in refused.output
    assert "learners.blend_weight was 0.5, is 0.3" in refused.output
    assert PROPENSITY.retrain_hint in refused.output


@pytest.fixture(scope="module")
def retrained(daily: DbtResult, tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    """A retrain serving the gradient-boosted trees (the demo's auto choice is the
    logistic model): every tree is scored in SQL."""
    work = copy_build(daily, tmp_path_factory.mktemp("propensity_retrained"))
    variables = {"propensity_mode": "retrain", "propensity_model": "gradient_boosting"}
    return run_dbt(work, "build", variables=variables)


def test_a_retrain_registers_a_new_active_version(daily: DbtResult, retrained: DbtResult) -> None:
    before = daily.query("select * from propensity_model_registry")
    registry = retrained.query("select * from propensity_model_registry order by activated_at")
    assert len(registry) == 2
    assert registry.model_version.iloc[0] == before.model_version.iloc[0]
    active = retrained.query("select * from int_propensity_model_version").model_version.item()
    assert registry.model_version.iloc[-1] == active != before.model_version.iloc[0]
    assert registry.served_model.iloc[-1] == "gradient_boosting"
    parameters = retrained.query(
        "select model_version, count(*) as rows from propensity_model_registry_parameters "
        "group by model_version"
    )
    assert set(parameters.model_version) == set(registry.model_version)
    # every ml_propensity_* table of the build is of the new version
    for table in ("ml_propensity_oof_predictions", "ml_propensity_features"):
        versions = retrained.query(f"select distinct fit_fingerprint from {table}")
        assert versions.fit_fingerprint.tolist() == [active]


def test_the_sql_trees_equal_the_library_for_every_demo_customer(retrained: DbtResult) -> None:
    figures = assert_sql_equals_library(retrained)
    assert figures["served_model"] == "gradient_boosting"
