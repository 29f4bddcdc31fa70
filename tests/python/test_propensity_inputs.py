"""Propensity on bad campaign input, through real dbt runs on tiny CSV inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, write_csv

pytestmark = pytest.mark.dbt

CUSTOMERS = 60


def write_inputs(directory: Path, responders: int) -> None:
    """60 customers with two profile columns (enough to segment) and a gender column;
    campaign K0 earlier,
    and K1 (the latest) contacting 40 customers of whom ``responders`` respond."""
    rng = np.random.default_rng(7)
    customers = ["customer_id,annual_income,household_size,has_marketing_consent,gender"]
    for index in range(CUSTOMERS):
        income = round(float(rng.gamma(4.0, 12000.0)), 2)
        gender = "FM"[index % 2]
        customers.append(f"C{index:02d},{income},{int(rng.integers(1, 6))},true,{gender}")
    responses = ["customer_id,campaign_id,contacted_at,responded"]
    for index in range(40):
        responses.append(f"C{index:02d},K0,2025-01-15,{str(index % 3 == 0).lower()}")
        responses.append(f"C{index:02d},K1,2025-06-15,{str(index < responders).lower()}")
    write_csv(directory / "customers.csv", "\n".join(customers))
    write_csv(directory / "campaign_responses.csv", "\n".join(responses))


def run(tmp_path: Path, *args: str, responders: int = 10, **variables: object) -> DbtResult:
    write_inputs(tmp_path / "inputs", responders)
    return run_dbt(
        tmp_path / "run",
        *args,
        variables=files_vars(
            tmp_path / "inputs",
            **{
                "optional_inputs": ["campaign_responses"],
                "as_of_date": "2025-12-01",
                # gender only, and only where a test configures it
                "protected_attributes": [],
                **variables,
            },
        ),
        check=False,
    )


@pytest.mark.parametrize("campaign", ["K9", "K'9"], ids=["unknown", "with_a_quote"])
def test_a_configured_campaign_that_does_not_exist_is_named(tmp_path: Path, campaign: str) -> None:
    # a quote reaches the SQL as a doubled quote inside the literal, never as SQL
    result = run(tmp_path, "run", "-s", "+int_propensity_campaign", propensity_campaign=campaign)
    assert result.returncode != 0
    assert f"var propensity_campaign is '{campaign}', which is not a campaign_id" in result.output
    assert "Available: K0, K1" in result.output


def test_a_campaign_with_one_response_class_stops_the_model(tmp_path: Path) -> None:
    result = run(tmp_path, "run", "-s", "+ml_propensity_oof_predictions", responders=0)
    assert result.returncode != 0
    assert "target campaign 'K1' (40 contacted customers) has only non-responders" in (
        result.output
    )


def test_fewer_responders_than_folds_stops_the_model(tmp_path: Path) -> None:
    result = run(tmp_path, "run", "-s", "+ml_propensity_oof_predictions", responders=3)
    assert result.returncode != 0
    assert "has 3 responders, fewer than folds = 5" in result.output
    assert "lower folds" in result.output


def test_without_campaign_input_the_propensity_family_is_off(tmp_path: Path) -> None:
    listed = run(tmp_path, "ls", "--resource-type", "model", "--output", "name", optional_inputs=[])
    assert listed.returncode == 0, listed.output[-3000:]
    names = set(listed.output.split())
    assert "customer_segments" in names
    assert not {name for name in names if "propensity" in name or "campaign" in name}
    built = run(
        tmp_path,
        "build",
        "--exclude",
        "ml_segment_preprocessing+",
        optional_inputs=[],
    )
    assert built.returncode == 0, built.output[-3000:]
    assert "Completed successfully" in built.output


def test_a_capped_evaluation_is_a_stratified_sample_every_figure_reads(tmp_path: Path) -> None:
    """Above var propensity_oof_max_rows (25 of the 40 contacted here) the out-of-fold
    evaluation runs on a stratified sample: every customer is still scored by the final
    model, and metrics, lift and fairness are those of the evaluated rows, saying so."""
    from propensity_fairness_reference import assert_propensity_fairness_equals_fairlearn
    from sklearn.metrics import roc_auc_score

    result = run(
        tmp_path,
        "build",
        "-s",
        "+propensity_scores",
        "+propensity_lift",
        "+propensity_fairness",
        propensity_oof_max_rows=25,
        protected_attributes=["gender"],
    )
    assert result.returncode == 0, result.output[-3000:]
    oof = result.query("select * from ml_propensity_oof_predictions")
    assert oof.groupby("model_name").size().eq(25).all()
    assert oof.groupby("model_name").has_responded.sum().eq(6).all()  # 10 of 40, stratified
    scores = result.query("select * from propensity_scores")
    assert len(scores) == CUSTOMERS
    training = scores[scores.is_training]
    assert len(training) == 40 and training.has_responded.notna().all()
    assert training.has_responded.sum() == 10
    evaluated = scores[scores.is_evaluated]
    assert len(evaluated) == 25 and evaluated.is_training.all()
    assert (
        evaluated.oof_score.notna().all()
        and scores.loc[~scores.is_evaluated].oof_score.isna().all()
    )
    metrics = result.query("select * from propensity_metrics where scope = 'all'")
    assert metrics.customers.eq(25).all() and metrics.contacted_customers.eq(40).all()
    assert np.allclose(metrics.evaluated_share, 25 / 40)
    assert metrics.is_sampled.all()  # and every candidate was chosen on that sample
    for row in metrics.itertuples():
        model = oof[oof.model_name == row.model_name]
        assert abs(row.roc_auc - roc_auc_score(model.has_responded, model.oof_score)) < 1e-9
    segments = result.query("select * from propensity_metrics where scope != 'all'")
    assert segments.groupby("model_name").contacted_customers.sum().eq(40).all()
    assert segments.groupby("model_name").customers.sum().eq(25).all()
    lift = result.query(
        "select model_name, sum(customers) as customers from propensity_lift group by 1"
    )
    assert lift.customers.eq(25).all()
    # every group's figures equal fairlearn's on the evaluated (sampled) rows only
    checked = assert_propensity_fairness_equals_fairlearn(
        result, [["gender"]], parity_threshold=0.05, suppress_below=10, min_group_size=30
    )
    assert checked >= 1
