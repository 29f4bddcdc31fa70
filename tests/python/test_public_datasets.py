"""The README's worked examples: real public data mapped by vars only, no model edits.

Each builds the project once (a module-scoped fixture) on a dataset in ../shared/data
with the vars file in examples/, then checks the features against an independent pandas
computation of the same documented rules, and the segmentation against the issue's
real-data goals. Skipped, with the reason, where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, run_dbt, shared_dataset

pytestmark = [pytest.mark.dbt, pytest.mark.shared_data]

ONLINE_RETAIL = "online_retail/online_retail.csv.gz"
CC_GENERAL = "cc_general/CC_GENERAL.csv"
MALL_CUSTOMERS = "mall_customers/Mall_Customers.csv"


def example_vars(name: str) -> dict:
    return yaml.safe_load((PROJECT_DIR / "examples" / f"{name}.yml").read_text())


def build_example(factory: pytest.TempPathFactory, name: str, data: str) -> DbtResult:
    shared_dataset(data)
    # the examples' data paths are relative to the project
    return run_dbt(factory.mktemp(name), "build", variables=example_vars(name), cwd=PROJECT_DIR)


@pytest.fixture(scope="module")
def online_retail(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return build_example(tmp_path_factory, "online_retail", ONLINE_RETAIL)


@pytest.fixture(scope="module")
def cc_general(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return build_example(tmp_path_factory, "cc_general", CC_GENERAL)


@pytest.fixture(scope="module")
def mall_customers(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return build_example(tmp_path_factory, "mall_customers", MALL_CUSTOMERS)


def chosen(result: DbtResult) -> pd.Series:
    """The chosen row of ml_segment_model_selection."""
    selection = result.query("select * from ml_segment_model_selection")
    assert selection["is_chosen"].sum() == 1
    return selection.loc[selection["is_chosen"]].iloc[0]


def segment_sizes(result: DbtResult) -> list[int]:
    sizes = result.query(
        "select segment_id, count(*) as customers from customer_segments "
        "group by segment_id order by segment_id"
    )
    return sizes["customers"].tolist()


def pandas_rfm(path: Path) -> pd.DataFrame:
    """RFM by the staging rules, written independently in pandas."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    lines = raw.loc[~raw.duplicated()]
    lines = lines.loc[lines["CustomerID"].notna()].copy()
    lines["customer_id"] = lines["CustomerID"].astype(float).astype("int64").astype(str)
    lines["amount"] = lines["Quantity"].astype(float) * lines["UnitPrice"].astype(float)
    lines = lines.loc[lines["amount"] != 0].copy()
    lines["is_refund"] = lines["InvoiceNo"].str.startswith("C") | (lines["amount"] < 0)
    lines.loc[lines["is_refund"], "amount"] = -lines.loc[lines["is_refund"], "amount"].abs()
    lines["day"] = pd.to_datetime(lines["InvoiceDate"]).dt.normalize()
    as_of = lines["day"].max() + pd.Timedelta(days=1)
    # extreme_amount: |amount| above 100 times its 99th percentile (a purchase and its
    # cancellation alike)
    limit = 100 * lines["amount"].abs().quantile(0.99)
    lines = lines.loc[lines["amount"].abs() <= limit]

    purchases = lines.loc[~lines["is_refund"]].groupby("customer_id")
    rfm = pd.DataFrame(
        {
            "frequency": purchases["InvoiceNo"].nunique(),
            "recency_days": (as_of - purchases["day"].max()).dt.days,
        }
    )
    monetary = lines.groupby("customer_id")["amount"].sum().rename("monetary_total")
    # every customer id in the file is a customer, even one whose lines were all excluded
    known = raw["CustomerID"].dropna().astype(float).astype("int64").astype(str).unique()
    rfm = rfm.reindex(pd.Index(sorted(known), name="customer_id")).join(monetary)
    rfm["frequency"] = rfm["frequency"].fillna(0)
    rfm["monetary_total"] = rfm["monetary_total"].fillna(0)
    return rfm


def test_online_retail_rfm_equals_an_independent_pandas_computation(
    online_retail: DbtResult,
) -> None:
    path, result = shared_dataset(ONLINE_RETAIL), online_retail

    ours = result.query(
        "select customer_id, recency_days, frequency, monetary_total from int_customer_rfm"
    ).set_index("customer_id")
    expected = pandas_rfm(path)

    assert len(ours) == len(expected) == 4372
    ours = ours.loc[expected.index]
    np.testing.assert_array_equal(ours["frequency"], expected["frequency"])
    np.testing.assert_array_equal(
        ours["recency_days"].astype("float"), expected["recency_days"].astype("float")
    )
    np.testing.assert_allclose(ours["monetary_total"], expected["monetary_total"], atol=1e-6)

    quality = result.query(
        "select check_name, rows_affected from data_quality where input_name = 'transactions'"
    ).set_index("check_name")["rows_affected"]
    assert quality["duplicate_row"] == 5268  # the published count of exact duplicates
    # the 80,995, 74,215 and 38,970 lines and their cancellations (above 100 x 204.0)
    assert quality["extreme_amount"] == 6
    assert_segments_are_named_from_present_features(result, has_rfm=True)


def test_cc_general_utilization_by_configuration_only(cc_general: DbtResult) -> None:
    path, result = shared_dataset(CC_GENERAL), cc_general

    ours = result.query("select * from int_customer_utilization").set_index("customer_id")
    raw = pd.read_csv(path).set_index("CUST_ID")
    assert len(ours) == len(raw) == 8950

    expected_utilization = raw["BALANCE"] / raw["CREDIT_LIMIT"]
    np.testing.assert_allclose(
        ours.loc[raw.index, "credit_utilization"], expected_utilization, rtol=1e-12
    )
    assert np.isnan(ours.loc["C15349", "credit_utilization"])  # the one null credit limit

    quality = result.query(
        "select check_name, rows_affected from data_quality where input_name = 'credit_accounts'"
    ).set_index("check_name")["rows_affected"]
    assert quality["credit_limit_missing"] == 1
    assert quality["minimum_payments_missing"] == 313
    assert_segments_are_named_from_present_features(result, has_rfm=False)


def assert_segments_are_named_from_present_features(result: DbtResult, has_rfm: bool) -> None:
    """With one feature family off: names unique and non-empty, every matched archetype
    uses only features that exist, every segment has a play, RFM labels only with RFM."""
    profiles = result.query("select * from segment_profiles")
    assert profiles.segment_name.str.len().gt(0).all() and profiles.segment_name.is_unique
    columns = set(result.query("select * from int_customer_features limit 0").columns)
    used = result.query(
        """
        select distinct rules.feature_name
        from segment_profiles as profiles
        inner join segment_archetypes as rules on profiles.archetype = rules.archetype
        """
    )
    assert set(used.feature_name) <= columns
    plays = result.query("select segment_id, strategy from segment_recommendations")
    assert sorted(plays.segment_id) == sorted(profiles.segment_id)
    assert plays.strategy.notna().all()
    labels = result.query("select rfm_segment from customer_segments").rfm_segment
    assert labels.notna().all() if has_rfm else labels.isna().all()
    assert profiles.revenue_share.notna().all() == has_rfm


def test_online_retail_segments_on_the_configured_rfm_features(online_retail: DbtResult) -> None:
    features = online_retail.query(
        "select feature_name from ml_segment_preprocessing where not is_dropped "
        "order by feature_position"
    )["feature_name"].tolist()
    assert features == example_vars("online_retail")["segment_features"]
    assert 3 <= chosen(online_retail).k <= 10

    sizes = segment_sizes(online_retail)
    assert len(sizes) == chosen(online_retail).k and min(sizes) > 0
    assert sum(sizes) == 4372
    # segment 1 is the one whose members spend the most (the documented id order)
    spend = online_retail.query(
        "select segments.segment_id, avg(rfm.monetary_total) as monetary "
        "from customer_segments as segments inner join int_customer_rfm as rfm "
        "on segments.customer_id = rfm.customer_id group by 1 order by 1"
    )["monetary"]
    assert spend.is_monotonic_decreasing


def test_cc_general_default_rule_chooses_a_stable_k_between_4_and_8(cc_general: DbtResult) -> None:
    row = chosen(cc_general)
    assert 4 <= row.k <= 8
    assert row.stability_ari >= 0.9  # the rule's stability floor (min_stability)
    assert row.selection_rule == "stable_separation"
    assert min(segment_sizes(cc_general)) > 0


def test_mall_customers_selection_picks_five_on_income_and_spending(
    mall_customers: DbtResult,
) -> None:
    features = mall_customers.query("select feature_name from ml_segment_preprocessing")
    assert features["feature_name"].tolist() == ["annual_income", "spending_score"]
    assert chosen(mall_customers).k == 5
    assert sum(segment_sizes(mall_customers)) == 200

    # Gender and Age are read, but only as protected attributes (fairness breakdowns)
    attributes = mall_customers.query("select gender, age_years from int_customer_attributes")
    assert attributes["gender"].notna().all() and attributes["age_years"].notna().all()
    columns = set(mall_customers.query("select * from int_customer_features").columns)
    assert not columns & {"gender", "age", "age_years", "age_band"}
