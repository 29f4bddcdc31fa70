"""The README's worked examples: real public data mapped by vars only, no model edits.

Each builds the project on a dataset in ../shared/data with the vars file in
examples/, then checks the features against an independent pandas computation of
the same documented rules. Skipped, with the reason, where ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, run_dbt, shared_dataset

pytestmark = [pytest.mark.dbt, pytest.mark.shared_data]


def example_vars(name: str) -> dict:
    return yaml.safe_load((PROJECT_DIR / "examples" / f"{name}.yml").read_text())


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


def test_online_retail_rfm_equals_an_independent_pandas_computation(tmp_path: Path) -> None:
    path = shared_dataset("online_retail/online_retail.csv.gz")
    result = run_dbt(tmp_path, "build", variables=example_vars("online_retail"))

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
    assert_segments_are_named_from_present_features(result, has_rfm=True)


def test_cc_general_utilization_by_configuration_only(tmp_path: Path) -> None:
    path = shared_dataset("cc_general/CC_GENERAL.csv")
    result = run_dbt(tmp_path, "build", variables=example_vars("cc_general"))

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
