"""The input contract on small hand-made inputs: counted repairs and clear errors.

Each test writes CSV files, points the project at them (files mode, vars only) and
runs the real `dbt build` into its own DuckDB file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dbt_runner import DbtResult, run_dbt, write_csv

pytestmark = pytest.mark.dbt

CUSTOMERS = """
    customer_id,gender,birth_date,marital_status,annual_income,household_size,has_marketing_consent
    C1,F,1980-05-01,Married,50000,2,true
    C2,M,1990-12-31,Single,40000,1,false
    C3,F,2000-01-01,Single,,1,
    C3,F,2000-01-01,Single,,1,
    C4,,1960-06-15,Divorced,80000,3,true
"""
TRANSACTIONS = """
    order_id,customer_id,transacted_at,quantity,unit_price,amount,is_refund
    O1,C1,2025-01-01 10:00:00,1,10,10,false
    O1,C1,2025-01-01 10:00:00,1,10,10,false
    O2,C1,2025-02-01 10:00:00,2,5,10,false
    O3,C2,2025-03-01 10:00:00,1,100,100,false
    R1,C2,2025-03-05 10:00:00,1,50,50,true
    O4,C9,2025-03-01 10:00:00,1,10,10,false
    O5,,2025-03-01 10:00:00,1,10,10,false
    O6,C4,2025-03-01 10:00:00,1,10,n/a,false
    O7,C4,2025-03-02 10:00:00,1,0,0,false
    O8,C4,2025-03-03 10:00:00,1,20,,false
    O9,C4,2025-03-04 10:00:00,1,20,20,false
    O10,C4,2025-06-01 10:00:00,1,20,20,false
"""
CREDIT_ACCOUNTS = """
    customer_id,balance,credit_limit,purchases,cash_advance,payments,minimum_payments,full_payment_ratio
    C1,100,1000,500,0,200,50,0.5
    C2,300,0,100,50,100,,0
    C4,50,,0,0,10,5,1
"""
CAMPAIGN_RESPONSES = """
    customer_id,campaign_id,contacted_at,responded
    C1,K1,2025-01-15,true
    C2,K1,2025-01-15,false
"""


def write_inputs(directory: Path, **overrides: str | None) -> Path:
    """Write the four inputs (an override of None leaves that file out)."""
    inputs = {
        "customers": CUSTOMERS,
        "transactions": TRANSACTIONS,
        "credit_accounts": CREDIT_ACCOUNTS,
        "campaign_responses": CAMPAIGN_RESPONSES,
        **overrides,
    }
    for name, text in inputs.items():
        if text is not None:
            write_csv(directory / f"{name}.csv", text)
    return directory


def build(
    tmp_path: Path, check: bool = True, segment: bool = False, **variables: object
) -> DbtResult:
    """Build the project on the CSVs; four customers are too few to segment, so the
    segmentation models are left out unless asked for."""
    inputs = tmp_path / "inputs"
    selection = [] if segment else ["--exclude", "ml_segment_preprocessing+"]
    return run_dbt(
        tmp_path / "run",
        "build",
        *selection,
        variables={
            "input_source": "files",
            "input_file_template": f"{inputs}/{{name}}.csv",
            **variables,
        },
        check=check,
    )


def quality_counts(result: DbtResult) -> dict[tuple[str, str], int]:
    frame = result.query("select input_name, check_name, rows_affected from data_quality")
    return {(row.input_name, row.check_name): row.rows_affected for row in frame.itertuples()}


def test_messy_inputs_are_repaired_and_every_row_is_counted(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs")
    # one junk amount in a dozen lines is 10% of the column: allow it, to count it
    result = build(tmp_path, as_of_date="2025-04-01", input_unreadable_max_share=0.5)

    counts = quality_counts(result)
    assert counts[("customers", "duplicate_row")] == 1
    assert counts[("customers", "consent_defaulted")] == 1
    assert counts[("transactions", "duplicate_row")] == 1
    assert counts[("transactions", "missing_customer_id")] == 1
    assert counts[("transactions", "non_numeric_amount")] == 1
    assert counts[("transactions", "missing_amount")] == 1
    assert counts[("transactions", "zero_amount")] == 1
    assert counts[("transactions", "unknown_customer")] == 1
    assert counts[("transactions", "after_as_of_date")] == 1
    assert counts[("transactions", "refund_netted")] == 1
    assert counts[("transactions", "refund_sign_corrected")] == 1
    assert counts[("credit_accounts", "credit_limit_missing")] == 2
    assert counts[("credit_accounts", "minimum_payments_missing")] == 1

    totals = result.query(
        "select distinct input_name, rows_in, rows_out from data_quality order by input_name"
    )
    assert totals.set_index("input_name").loc["transactions"].tolist() == [12, 5]
    assert totals.set_index("input_name").loc["customers"].tolist() == [5, 4]

    rfm = result.query("select * from int_customer_rfm order by customer_id").set_index(
        "customer_id"
    )
    # C2 bought 100 and had 50 refunded: netted; the refund is not an order.
    assert rfm.loc["C2", "monetary_total"] == 50
    assert rfm.loc["C2", "frequency"] == 1
    assert rfm.loc["C2", "recency_days"] == 31  # 2025-03-01 -> 2025-04-01
    assert rfm.loc["C1", "frequency"] == 2
    assert rfm.loc["C4", "monetary_total"] == 20  # only O9: O10 is after as_of_date
    assert not rfm.loc["C3", "has_purchases"]

    utilization = result.query(
        "select customer_id, credit_utilization from int_customer_utilization"
    ).set_index("customer_id")
    assert utilization.loc["C1", "credit_utilization"] == pytest.approx(0.1)
    assert utilization["credit_utilization"].isna().sum() == 2  # zero and null limits


def test_absent_optional_inputs_switch_their_families_off(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs", transactions=None, campaign_responses=None)
    result = build(tmp_path, optional_inputs=["credit_accounts"], as_of_date="2025-04-01")

    columns = set(result.query("select * from int_customer_features").columns)
    assert "credit_utilization" in columns
    assert "recency_days" not in columns
    inputs = set(result.query("select distinct input_name from data_quality").input_name)
    assert inputs == {"customers", "credit_accounts"}


def test_missing_required_column_names_the_input_column_and_fix(tmp_path: Path) -> None:
    no_amount = "\n".join(
        ",".join(line.strip().split(",")[:3]) for line in TRANSACTIONS.strip().splitlines()
    )
    write_inputs(tmp_path / "inputs", transactions=no_amount)
    result = build(tmp_path, check=False)

    assert result.returncode != 0
    assert "Input 'transactions'" in result.output
    assert "has no column 'amount'" in result.output
    assert "input_columns: transactions: amount" in result.output


def test_amount_falls_back_to_quantity_times_unit_price(tmp_path: Path) -> None:
    without_amount = "\n".join(
        ",".join(line.strip().split(",")[:5]) for line in TRANSACTIONS.strip().splitlines()
    )
    write_inputs(tmp_path / "inputs", transactions=without_amount)
    result = build(tmp_path, as_of_date="2025-04-01")

    rfm = result.query("select * from int_customer_rfm").set_index("customer_id")
    assert rfm.loc["C1", "monetary_total"] == 20


def test_mapping_to_a_column_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs")
    result = build(tmp_path, check=False, input_columns={"customers": {"gender": "sex"}})

    assert result.returncode != 0
    assert "maps 'gender' to 'sex', which is not a column of it" in result.output


def test_conflicting_duplicate_customer_ids_stop_the_build_naming_them(tmp_path: Path) -> None:
    conflicting = CUSTOMERS + "\n    C1,M,1970-01-01,Single,1,1,true\n"
    write_inputs(tmp_path / "inputs", customers=conflicting)
    result = build(tmp_path, check=False)

    assert result.returncode != 0
    assert "Input 'customers': 1 value(s) of (customer_id)" in result.output
    assert "e.g. C1." in result.output


def test_empty_transactions_input_says_what_to_do(tmp_path: Path) -> None:
    header_only = TRANSACTIONS.strip().splitlines()[0]
    write_inputs(tmp_path / "inputs", transactions=header_only)
    result = build(tmp_path, check=False)

    assert result.returncode != 0
    assert "Input 'transactions'" in result.output
    assert "is empty" in result.output
    assert "remove 'transactions' from var optional_inputs" in result.output
