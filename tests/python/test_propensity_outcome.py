"""A customer-level yes/no outcome with a direction (var propensity_outcome), through
real dbt runs on a tiny customers CSV: no campaign input, no contact date."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, write_csv

pytestmark = pytest.mark.dbt

CUSTOMERS = 240
CHURN = {"source": "customers", "column": "churned", "name": "churn", "direction": "adverse"}


def write_customers(directory: Path) -> None:
    """240 customers, two profile columns and gender; churn (yes/no) driven by income,
    unknown for every 12th customer and unreadable ('maybe') for two."""
    rng = np.random.default_rng(3)
    rows = ["customer_id,annual_income,household_size,has_marketing_consent,gender,churned"]
    for index in range(CUSTOMERS):
        income = float(rng.gamma(4.0, 12000.0))
        churned = rng.random() < 1 / (1 + np.exp((income - 45000) / 12000))
        outcome = "" if index % 12 == 0 else ("yes" if churned else "no")
        outcome = "maybe" if index in (5, 7) else outcome
        consent = "false" if index % 10 == 3 else "true"
        rows.append(
            f"C{index:03d},{income:.2f},{int(rng.integers(1, 6))},{consent},"
            f"{'FM'[index % 2]},{outcome}"
        )
    write_csv(directory / "customers.csv", "\n".join(rows))


def write_campaigns(directory: Path) -> None:
    """Two campaigns before the as_of_date and one after it (never history)."""
    rows = ["customer_id,campaign_id,contacted_at,responded"]
    for index in range(0, CUSTOMERS, 2):
        rows.append(f"C{index:03d},K0,2025-03-01,{str(index % 3 == 0).lower()}")
        rows.append(f"C{index:03d},K1,2025-09-01,{str(index % 4 == 0).lower()}")
        rows.append(f"C{index:03d},K2,2026-01-15,true")
    write_csv(directory / "campaign_responses.csv", "\n".join(rows))


def run(tmp_path: Path, *args: str, **variables: object) -> DbtResult:
    write_customers(tmp_path / "inputs")
    write_campaigns(tmp_path / "inputs")
    return run_dbt(
        tmp_path / "run",
        *args,
        variables=files_vars(
            tmp_path / "inputs",
            **{
                "optional_inputs": [],
                "as_of_date": "2025-12-01",
                "protected_attributes": ["gender"],
                "propensity_outcome": CHURN,
                "campaign_target_budget": 50,
                **variables,
            },
        ),
        check=False,
    )


@pytest.fixture(scope="module")
def churn_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    result = run(tmp_path_factory.mktemp("churn"), "build")
    assert result.returncode == 0, result.output[-4000:]
    return result


def test_a_customers_outcome_trains_on_known_outcomes_and_scores_everyone(
    churn_build: DbtResult,
) -> None:
    scores = churn_build.query("select * from propensity_scores")
    assert len(scores) == CUSTOMERS
    unknown = scores[~scores.is_training]
    # 20 blank and 2 unreadable outcomes: scored, never trained on
    assert len(unknown) == 22 and unknown.has_responded.isna().all()
    assert scores.propensity_score.notna().all()
    metrics = churn_build.query("select * from propensity_metrics where scope = 'all'")
    assert metrics.customers.eq(CUSTOMERS - 22).all()
    assert set(metrics.outcome_name) == {"churn"}
    assert set(metrics.outcome_source) == {"customers"}
    assert set(metrics.outcome_direction) == {"adverse"}
    assert metrics.is_served.sum() == 1
    assert metrics.loc[metrics.is_served, "roc_auc"].iloc[0] == metrics.roc_auc.max()
    campaign = churn_build.query("select * from int_propensity_campaign").iloc[0]
    assert campaign.contacted_date.isoformat()[:10] == "2025-12-01"  # the as_of_date
    quality = churn_build.query(
        "select * from data_quality where input_name = 'customers' and column_name = 'churned'"
    )
    assert quality.loc[quality.check_name == "unreadable_boolean", "rows_affected"].sum() == 2


def test_an_adverse_outcome_makes_a_retention_list(churn_build: DbtResult) -> None:
    targets = churn_build.query("select * from campaign_targets order by target_rank")
    scores = churn_build.query("select * from propensity_scores").set_index("customer_id")
    consent = churn_build.query(
        "select customer_id from int_customer_attributes where has_marketing_consent"
    ).customer_id
    assert len(targets) == 50
    assert set(targets.list_purpose) == {"retention"}
    assert set(targets.outcome_direction) == {"adverse"}
    assert targets.customer_id.isin(consent).all()
    # highest risk first, and nobody who already churned
    assert targets.propensity_score.is_monotonic_decreasing
    assert not scores.loc[targets.customer_id, "has_responded"].fillna(False).astype(bool).any()
    playbook = churn_build.query(
        "select * from outcome_playbook where outcome_direction = 'adverse'"
    ).iloc[0]
    assert set(targets.recommended_strategy) == {playbook.strategy}
    eligible = scores[scores.index.isin(consent) & ~scores.has_responded.fillna(False).astype(bool)]
    assert targets.propensity_score.min() >= eligible.propensity_score.nlargest(50).min()


def test_fairness_reads_the_adverse_direction(churn_build: DbtResult) -> None:
    fairness = churn_build.query(
        "select * from propensity_fairness where attribute_name = 'gender' and not is_suppressed"
    )
    assert set(fairness.outcome_direction) == {"adverse"}
    assert fairness.best_selection_rate.eq(fairness.selection_rate.min()).all()
    assert fairness.best_false_positive_rate.eq(fairness.false_positive_rate.min()).all()
    assert fairness.best_precision.eq(fairness.precision.max()).all()


def test_with_campaigns_a_customers_outcome_counts_those_before_the_as_of_date(
    tmp_path: Path,
) -> None:
    result = run(
        tmp_path, "build", "-s", "+int_propensity_features", optional_inputs=["campaign_responses"]
    )
    assert result.returncode == 0, result.output[-4000:]
    features = result.query("select * from int_propensity_features order by customer_id")
    assert features.is_training.sum() == CUSTOMERS - 22  # the churn column, not a campaign
    contacted = features.loc[features.customer_id.str[1:].astype(int) % 2 == 0]
    assert contacted.previous_campaigns_contacted.eq(2).all()  # K0 and K1, never K2
    assert features.previous_campaigns_contacted.isin([0, 2]).all()


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (
            {"source": "customers", "column": "annual_income"},
            "column 'annual_income' is also listed in var customer_profile_columns",
        ),
        ({"source": "customers"}, "source customers needs column"),
        ({"source": "customers", "column": "churned", "direction": "bad"}, "direction is"),
        ({"source": "outcomes"}, "source is 'outcomes' (a text): use campaign_responses"),
        ({"outcome": "churned"}, "has key 'outcome', which is not known"),
        (dict(CHURN, campaign="K1"), "has key 'campaign', which is not known"),
    ],
    ids=["a_feature", "no_column", "direction", "source", "unknown_key", "campaign"],
)
def test_a_wrong_outcome_is_named(tmp_path: Path, outcome: dict, message: str) -> None:
    result = run(tmp_path, "ls", propensity_outcome=outcome)
    assert result.returncode != 0
    assert "var propensity_outcome" in result.output and message in result.output


def test_a_campaign_is_refused_beside_a_customers_outcome(tmp_path: Path) -> None:
    result = run(tmp_path, "ls", propensity_campaign="K1")
    assert result.returncode != 0
    assert "var propensity_campaign is 'K1', but var propensity_outcome has source customers" in (
        result.output
    )
