"""Feature roles (var segment_features / segment_exclude_features, propensity_features /
propensity_exclude_features) and the proxy check of both models' features, through real
dbt runs on a tiny CSV input with a categorical profile column and a campaign.

The propensity learners' handling of text columns is separate work, so these builds
stop at the propensity model's input (int_propensity_features) and proxy_check.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, write_csv
from scipy.stats import chi2_contingency

pytestmark = pytest.mark.dbt

PROFILE = {
    "annual_income": "number",
    "household_size": "number",
    "preferred_channel": "categorical",
}
SELECTION = ("--select", "+int_propensity_features", "+proxy_check")


def write_inputs(directory: Path) -> pd.DataFrame:
    """60 customers: income, household size, a channel that mostly follows gender (a
    proxy), and campaigns K0 and K1 contacting 40 of them."""
    rng = np.random.default_rng(3)
    rows = []
    for index in range(60):
        gender = "FM"[index % 2]
        channel = ("web" if gender == "F" else "store") if index % 5 else "phone"
        income = round(float(rng.gamma(4.0, 12000.0)), 2)
        rows.append((f"C{index:02d}", income, int(rng.integers(1, 6)), channel, gender))
    customers = pd.DataFrame(
        rows,
        columns=["customer_id", "annual_income", "household_size", "preferred_channel", "gender"],
    )
    directory.mkdir(parents=True, exist_ok=True)
    customers.assign(has_marketing_consent="true").to_csv(directory / "customers.csv", index=False)
    responses = ["customer_id,campaign_id,contacted_at,responded"]
    for index in range(40):
        responses.append(f"C{index:02d},K0,2025-01-15,{str(index % 3 == 0).lower()}")
        responses.append(f"C{index:02d},K1,2025-06-15,{str(index % 4 == 0).lower()}")
    write_csv(directory / "campaign_responses.csv", "\n".join(responses))
    return customers


def build(tmp_path: Path, *args: str, check: bool = True, **variables: object) -> DbtResult:
    return run_dbt(
        tmp_path / "run",
        *(args or ("build", *SELECTION)),
        variables=files_vars(
            tmp_path / "inputs",
            **{
                "optional_inputs": ["campaign_responses"],
                "as_of_date": "2025-12-01",
                "protected_attributes": ["gender"],
                "customer_profile_columns": PROFILE,
                "category_min_customers": 5,
                **variables,
            },
        ),
        check=check,
    )


def cramers_v(frame: pd.DataFrame, first: str, second: str) -> float:
    table = pd.crosstab(frame[first], frame[second])
    chi_square = chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi_square / (len(frame) * (min(table.shape) - 1))))


def test_by_default_every_feature_has_both_roles_and_categoricals_are_screened(
    tmp_path: Path,
) -> None:
    customers = write_inputs(tmp_path / "inputs")
    result = build(tmp_path)

    features = result.query("select * from int_propensity_features")
    assert set(features["preferred_channel"]) == {"web", "store", "phone"}  # levels, as text
    assert {"annual_income", "household_size"} <= set(features.columns)
    segment_features = set(
        result.query("select feature_name from ml_segment_preprocessing")["feature_name"]
    )
    assert segment_features == {"annual_income", "household_size"}  # no categorical

    proxy = result.query("select * from proxy_check").set_index(["feature_name", "attribute_name"])
    channel = proxy.loc[("preferred_channel", "gender")]
    assert channel.feature_roles == "propensity"
    assert channel.association_measure == "cramers_v"
    assert pd.isna(channel.correlation_ratio)
    assert channel.cramers_v == pytest.approx(cramers_v(customers, "preferred_channel", "gender"))
    assert channel.association == channel.cramers_v > 0.3
    assert channel.is_proxy_flagged
    income = proxy.loc[("annual_income", "gender")]
    assert income.feature_roles == "segmentation, propensity"
    assert income.association_measure == "correlation_ratio"


def test_roles_restrict_and_exclude_features_per_model(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs")
    result = build(
        tmp_path,
        propensity_features=["annual_income", "preferred_channel"],
        propensity_exclude_features=["preferred_channel"],
        segment_exclude_features=["household_size"],
    )
    features = result.query("select * from int_propensity_features")
    assert "annual_income" in features.columns
    assert "household_size" not in features.columns
    assert "preferred_channel" not in features.columns
    segment_features = result.query("select feature_name from ml_segment_preprocessing")
    assert segment_features["feature_name"].tolist() == ["annual_income"]
    proxy = result.query("select feature_name, feature_roles from proxy_check")
    assert dict(zip(proxy.feature_name, proxy.feature_roles, strict=True)) == {
        "annual_income": "segmentation, propensity"
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        pytest.param(
            {"propensity_features": ["annual_income", "gender"]},
            "var propensity_features lists 'gender', a protected attribute",
            id="protected_propensity_feature",
        ),
        pytest.param(
            {"segment_exclude_features": ["age_band"]},
            "var segment_exclude_features lists 'age_band', a protected attribute",
            id="protected_exclusion",
        ),
    ],
)
def test_a_protected_attribute_is_refused_in_every_role(
    tmp_path: Path, variables: dict, message: str
) -> None:
    write_inputs(tmp_path / "inputs")
    result = build(tmp_path, "parse", check=False, **variables)
    assert result.returncode != 0
    assert message in result.output, result.output[-3000:]


def test_an_unknown_propensity_feature_names_the_available_ones(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs")
    result = build(tmp_path, "build", *SELECTION, check=False, propensity_features=["annual_incme"])
    assert result.returncode != 0
    assert "var propensity_features lists 'annual_incme', which is not a feature" in result.output
    assert "available: annual_income, household_size, preferred_channel" in result.output
