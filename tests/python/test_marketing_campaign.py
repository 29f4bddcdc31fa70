"""The iFood marketing_campaign data through the real build, by configuration only
(examples/marketing_campaign.yml): the propensity model's out-of-fold quality, its SQL
scores against the library's, and a daily build that fits nothing."""

from __future__ import annotations

import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, copy_build, run_dbt, shared_dataset
from propensity_checks import (
    assert_same_propensity_marts,
    assert_sql_equals_library,
    run_dbt_without_fits,
)

pytestmark = [pytest.mark.dbt, pytest.mark.shared_data]


@pytest.fixture(scope="module")
def marketing_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    shared_dataset("marketing_campaign/marketing_campaign.csv")
    work = tmp_path_factory.mktemp("marketing")
    # the example's data paths are relative to the project
    return run_dbt(work, "build", variables=example_vars(), cwd=PROJECT_DIR)


def example_vars() -> dict:
    return yaml.safe_load((PROJECT_DIR / "examples" / "marketing_campaign.yml").read_text())


def test_sql_scores_equal_the_library_for_every_customer(marketing_build: DbtResult) -> None:
    figures = assert_sql_equals_library(marketing_build)
    assert figures["customers"] == 2240


def test_a_daily_build_fits_nothing_and_keeps_every_propensity_mart(
    marketing_build: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = copy_build(marketing_build, tmp_path_factory.mktemp("marketing_daily"))
    daily = run_dbt_without_fits(work, "build", variables=example_vars(), cwd=PROJECT_DIR)
    assert_same_propensity_marts(marketing_build, daily)


def test_out_of_fold_roc_auc_reaches_the_goal(marketing_build: DbtResult) -> None:
    from sklearn.metrics import roc_auc_score

    metrics = marketing_build.query(
        "select * from propensity_metrics where scope = 'all'"
    ).set_index("model_name")
    served = metrics.loc[metrics.is_served].iloc[0]
    assert served.customers == 2240  # every customer was contacted in Response
    assert served.roc_auc >= 0.91  # issue goal; plain scikit-learn gets 0.896 here
    # served: the candidate with the best out-of-fold ROC-AUC (var propensity_model auto)
    assert served.roc_auc == metrics.roc_auc.max()
    assert metrics.selection_rule.str.startswith("highest out-of-fold ROC-AUC").all()
    assert not metrics.is_sampled.any()
    oof = marketing_build.query(
        f"select * from ml_propensity_oof_predictions where model_name = '{served.name}'"
    )
    assert abs(served.roc_auc - roc_auc_score(oof.has_responded, oof.oof_score)) < 1e-9
    # reported beside the seed's recall 0.72 / precision 0.54 (one split) in the README
    assert served.recall_at_threshold > 0.6
    assert served.precision_at_threshold > 0.4


def test_history_is_the_five_earlier_campaigns_and_protected_attributes_stay_out(
    marketing_build: DbtResult,
) -> None:
    history = marketing_build.query(
        "select min(previous_campaigns_contacted) as low, max(previous_campaigns_contacted) "
        "as high from int_customer_campaign_history"
    ).iloc[0]
    assert history.low == history.high == 5
    used = set(
        marketing_build.query("select feature_name from ml_propensity_features").feature_name
    )
    assert not used & {"age_years", "age_band", "marital_status", "Year_Birth", "Marital_Status"}
    assert {"income", "previous_campaigns_accepted", "last_campaign_responded"} <= used


def test_propensity_fairness_by_age_band_and_marital_status_equals_fairlearn(
    marketing_build: DbtResult,
) -> None:
    from propensity_fairness_reference import assert_propensity_fairness_equals_fairlearn

    example = yaml.safe_load((PROJECT_DIR / "examples" / "marketing_campaign.yml").read_text())
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    assert example["protected_attributes"] == ["age_band", "marital_status"]
    attributes = set(
        marketing_build.query(
            "select distinct attribute_name from propensity_fairness"
        ).attribute_name
    )
    assert attributes == {"age_band", "marital_status", "age_band x marital_status"}
    checked = assert_propensity_fairness_equals_fairlearn(
        marketing_build,
        [["age_band"], ["marital_status"], ["age_band", "marital_status"]],
        parity_threshold=project["fairness_parity_threshold"],
        suppress_below=project["fairness_suppress_below"],
        min_group_size=project["fairness_min_group_size"],
        rule=project["fairness_flag_rule"],
    )
    assert checked > 10
