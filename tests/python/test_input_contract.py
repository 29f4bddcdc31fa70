"""The input contract on small hand-made inputs: counted repairs and clear errors.

Each test writes CSV files, points the project at them (files mode, vars only) and
runs the real `dbt build` into its own DuckDB file. Every bad-input case ends in exactly
one of: a counted data_quality rule whose count is asserted, or an error whose asserted
text names the input, column or var and what to change. None ends in a silent change.

Bad-input matrix: each case, how it ends, and the test that proves it.

Counted rules (asserted counts; one build of messy inputs, test_messy_...):
- exact duplicate rows; no customer id; a missing, non-numeric or zero amount; an
  unknown customer; a line on or after as_of_date; a refund netted or sign-corrected;
  a credit limit or minimum payments missing; no consent recorded;
- a value present but not a number (a blank too), date or boolean in a typed column:
  unreadable_* per column, with examples (also test_telco_...: 11 blank TotalCharges);
- transacted_at or contacted_at missing or unparseable, responded missing or not a
  boolean: missing_* / invalid_* exclusions, with examples;
- a birth date unparseable or after as_of_date, an age below 0 or above 130:
  unreadable_date / future_birth_date / implausible_age (the age is unknown);
- a negative amount not flagged as a refund: unflagged_negative_amount (a refund);
- lines dated after the run's date, absurd amounts (1e15): dated_after_run_date (as_of_date
  unmoved) and extreme_amount (test_future_lines_and_extreme_amounts_...).
Errors (asserted text names the input, column or var and what to change):
- more than input_unreadable_max_share of a column unreadable (a numeric column mostly
  text; a whole date column in dd/mm/yyyy, then read with the format it names):
  test_bad_input_stops_... and test_a_date_format_setting_...;
- a required column missing, an empty input, two rows for one customer id:
  test_bad_input_stops_...;
- every line dated in the future: test_future_lines_and_extreme_amounts_...;
- a mapping to a column that does not exist: test_mapping_to_a_column_...;
- a required column mapped to null (a null, ~ or 'null' mapping of an optional column
  means absent; a source column named default is read): test_null_mappings_...;
- a var of the wrong kind reaching SQL (a date with a quote, an impossible date, a
  number as text, a share above 1, a keyword as a profile column, a list as a campaign,
  a date format for a column without dates): test_bad_var_is_refused_naming_it;
- elsewhere: an unknown propensity_campaign (also one with a quote), one response
  class, fewer responders than folds (test_propensity_inputs.py); a k range that is not
  whole numbers (a text k_min too), more segments than customers, unknown or protected
  features, and the named warning for constant or all-null features
  (test_segmentation_input.py). An optional input left out switches its family off
  (test_absent_optional_inputs_...).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, shared_dataset, write_csv

pytestmark = pytest.mark.dbt

CUSTOMERS = """
    customer_id,gender,birth_date,age,marital_status,annual_income,household_size,has_marketing_consent
    C1,F,1980-05-01,,Married,50000,2,true
    C2,M,1990-12-31,,Single,40000,1,false
    C3,F,2000-01-01,,Single,,1,
    C3,F,2000-01-01,,Single,,1,
    C4,,1960-06-15,,Divorced,80000,3,true
    C5,F,not a date,,Single,abc,2,maybe
    C6,M,2030-01-01,,Single, ,2,true
    C7,F,,-3,Married,45000,2,true
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
    O11,C1,,1,10,10,false
    O12,C1,yesterday,1,10,10,false
    O13,C2,2025-03-06 10:00:00,one,10,10,maybe
    R2,C2,2025-03-07 10:00:00,1,5,-5,false
"""
CREDIT_ACCOUNTS = """
    customer_id,balance,credit_limit,purchases,cash_advance,payments,minimum_payments,full_payment_ratio
    C1,100,1000,500,0,200,50,0.5
    C2,300,0,100,50,100,,0
    C4,50,,0,0,10,5,1
    C5,n/a,2000,0,0,10,5,1
"""
CAMPAIGN_RESPONSES = """
    customer_id,campaign_id,contacted_at,responded
    C1,K1,2025-01-15,true
    C2,K1,2025-01-15,false
    C4,K1,,true
    C5,K1,15/01/2025,true
    C6,K1,2025-01-15,
    C7,K1,2025-01-15,perhaps
"""
# a few junk values in a dozen rows are a large share: the hand-made inputs allow half
# of a column to be unreadable (and counted); the default (0.01) is for real data
SHARED_VARS = {"as_of_date": "2025-04-01", "input_unreadable_max_share": 0.5}


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
        path = directory / f"{name}.csv"
        if text is not None:
            write_csv(path, text)
        elif path.exists():
            path.unlink()
    return directory


def build(
    tmp_path: Path, check: bool = True, segment: bool = False, **variables: object
) -> DbtResult:
    """Build the project on the CSVs; a few customers are too few to segment, so the
    segmentation models are left out unless asked for."""
    selection = [] if segment else ["--exclude", "ml_segment_preprocessing+"]
    return run_dbt(
        tmp_path / "run",
        "build",
        *selection,
        variables=files_vars(tmp_path / "inputs", **variables),
        check=check,
    )


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One work directory for the builds with SHARED_VARS: the same vars and target
    path, so every build after the first reuses dbt's parse (partial parsing)."""
    return tmp_path_factory.mktemp("contract")


def build_shared(
    directory: Path, *args: str, check: bool = True, **overrides: str | None
) -> DbtResult:
    write_inputs(directory / "inputs", **overrides)
    return run_dbt(
        directory / "run",
        "build",
        *(args or ("--exclude", "ml_segment_preprocessing+")),
        variables=files_vars(directory / "inputs", **SHARED_VARS),
        check=check,
    )


def quality(result: DbtResult) -> dict[tuple, tuple]:
    """(input, rule, column) -> (rows affected, example values)."""
    frame = result.query(
        "select input_name, check_name, column_name, rows_affected, example_values "
        "from data_quality"
    )
    frame = frame.astype(object).where(frame.notna(), None)
    return {
        (row.input_name, row.check_name, row.column_name): (row.rows_affected, row.example_values)
        for row in frame.itertuples()
    }


def test_messy_inputs_are_repaired_and_every_row_is_counted(shared: Path) -> None:
    result = build_shared(shared)

    counts = {key: affected for key, (affected, _) in quality(result).items()}
    examples = {key: shown for key, (_, shown) in quality(result).items()}
    expected = {
        ("customers", "duplicate_row", None): 1,
        ("customers", "consent_defaulted", "has_marketing_consent"): 2,  # C3 none, C5 'maybe'
        ("customers", "unreadable_number", "annual_income"): 2,
        ("customers", "unreadable_date", "birth_date"): 1,
        ("customers", "unreadable_boolean", "has_marketing_consent"): 1,
        ("customers", "future_birth_date", "birth_date"): 1,
        ("customers", "implausible_age", "age_years"): 1,
        ("transactions", "duplicate_row", None): 1,
        ("transactions", "missing_customer_id", "customer_id"): 1,
        ("transactions", "missing_transacted_at", "transacted_at"): 1,
        ("transactions", "invalid_transacted_at", "transacted_at"): 1,
        ("transactions", "non_numeric_amount", "amount"): 1,
        ("transactions", "missing_amount", "amount"): 1,
        ("transactions", "zero_amount", "amount"): 1,
        ("transactions", "unknown_customer", "customer_id"): 1,
        ("transactions", "after_as_of_date", "transacted_at"): 1,
        ("transactions", "dated_after_run_date", "transacted_at"): 0,  # as_of_date configured
        ("transactions", "extreme_amount", "amount"): 0,
        ("transactions", "unreadable_number", "quantity"): 1,
        ("transactions", "unreadable_boolean", "is_refund"): 1,
        ("transactions", "refund_netted", None): 2,
        ("transactions", "refund_sign_corrected", "amount"): 1,
        ("transactions", "unflagged_negative_amount", "amount"): 1,
        ("credit_accounts", "unreadable_number", "balance"): 1,
        ("credit_accounts", "credit_limit_missing", "credit_limit"): 2,
        ("credit_accounts", "minimum_payments_missing", "minimum_payments"): 1,
        ("campaign_responses", "missing_contacted_at", "contacted_at"): 1,
        ("campaign_responses", "invalid_contacted_at", "contacted_at"): 1,
        ("campaign_responses", "missing_responded", "responded"): 1,
        ("campaign_responses", "invalid_responded", "responded"): 1,
    }
    assert {key: counts.get(key) for key in expected} == expected
    # household_size arrives as whole numbers (a typed column): nothing to check, no row
    assert ("customers", "unreadable_number", "household_size") not in counts
    assert examples["customers", "unreadable_number", "annual_income"] == "' ', 'abc'"
    assert examples["customers", "unreadable_date", "birth_date"] == "'not a date'"
    assert examples["customers", "future_birth_date", "birth_date"] == "'2030-01-01'"
    assert examples["customers", "implausible_age", "age_years"] == "'-3'"
    assert examples["transactions", "invalid_transacted_at", "transacted_at"] == "'yesterday'"
    assert examples["transactions", "non_numeric_amount", "amount"] == "'n/a'"
    assert examples["transactions", "unflagged_negative_amount", "amount"] == "'-5.0'"
    assert examples["campaign_responses", "invalid_contacted_at", "contacted_at"] == (
        "'15/01/2025'"
    )
    # every rule of the seed is listed, and a rule about whole rows has no column
    rules = result.query("select input_name, check_name from data_quality_rules")
    listed = {(i, c) for i, c, _ in counts}
    assert set(rules.itertuples(index=False, name=None)) <= listed

    totals = result.query(
        "select distinct input_name, rows_in, rows_out from data_quality order by input_name"
    ).set_index("input_name")
    assert totals.loc["transactions"].tolist() == [16, 7]
    assert totals.loc["customers"].tolist() == [8, 7]

    rfm = result.query("select * from int_customer_rfm order by customer_id").set_index(
        "customer_id"
    )
    # C2 bought 100 and 10, and had 50 and 5 refunded: netted; refunds are not orders
    assert rfm.loc["C2", "monetary_total"] == 55
    assert rfm.loc["C2", "frequency"] == 2
    assert rfm.loc["C2", "recency_days"] == 26  # 2025-03-06 -> 2025-04-01
    assert rfm.loc["C1", "frequency"] == 2
    assert rfm.loc["C4", "monetary_total"] == 20  # only O9: O10 is after as_of_date
    assert not rfm.loc["C3", "has_purchases"]

    attributes = result.query(
        "select customer_id, age_years, age_band from int_customer_attributes"
    ).set_index("customer_id")
    # an unreadable or future birth date and an impossible age are unknown, not wrong
    assert attributes.loc[["C5", "C6", "C7"], "age_band"].tolist() == ["unknown"] * 3
    assert attributes.loc["C1", "age_years"] == 44

    utilization = result.query(
        "select customer_id, credit_utilization from int_customer_utilization"
    ).set_index("customer_id")
    assert utilization.loc["C1", "credit_utilization"] == pytest.approx(0.1)
    # zero and null limits; C5's unreadable balance
    assert utilization["credit_utilization"].isna().sum() == 3


def test_amount_falls_back_to_quantity_times_unit_price(shared: Path) -> None:
    without_amount = "\n".join(
        ",".join(line.strip().split(",")[:5]) for line in TRANSACTIONS.strip().splitlines()
    )
    result = build_shared(shared, transactions=without_amount)

    rfm = result.query("select * from int_customer_rfm").set_index("customer_id")
    assert rfm.loc["C1", "monetary_total"] == 20


def header_only(text: str) -> str:
    return text.strip().splitlines()[0]


def first_columns(text: str, count: int) -> str:
    return "\n".join(
        ",".join(line.strip().split(",")[:count]) for line in text.strip().splitlines()
    )


def day_first(text: str) -> str:
    """The transactions with every transacted_at written dd/mm/yyyy HH:MM:SS."""
    lines = text.strip().splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        fields = line.strip().split(",")
        stamp = fields[2]
        if stamp[:4].isdigit():
            fields[2] = f"{stamp[8:10]}/{stamp[5:7]}/{stamp[:4]}{stamp[10:]}"
        out.append(",".join(fields))
    return "\n".join(out)


# A numeric column mostly text, as in the held-out data whose column lost 36,954 of
# 45,211 values to the median: far above any share a user would accept.
MOSTLY_TEXT_INCOME = """
    customer_id,gender,birth_date,age,marital_status,annual_income,household_size,has_marketing_consent
    C1,F,1980-05-01,,Married,unknown,2,true
    C2,M,1990-12-31,,Single,unknown,1,false
    C3,F,2000-01-01,,Single,n/a,1,true
    C4,,1960-06-15,,Divorced,80000,3,true
    C5,F,1985-01-01,,Single,unknown,2,true
"""

STOPS = {
    "missing_required_column": (
        {"transactions": first_columns(TRANSACTIONS, 3)},
        ["Input 'transactions'", "has no column 'amount'", "input_columns: transactions: amount"],
    ),
    "empty_input": (
        {"transactions": header_only(TRANSACTIONS)},
        ["Input 'transactions'", "is empty", "remove 'transactions' from var optional_inputs"],
    ),
    "conflicting_duplicate_ids": (
        {"customers": CUSTOMERS + "\n    C1,M,1970-01-01,,Single,1,1,true\n"},
        ["Input 'customers': 1 value(s) of (customer_id)", "e.g. C1."],
    ),
    "numeric_column_mostly_text": (
        {"customers": MOSTLY_TEXT_INCOME},
        [
            "Input 'customers', column 'annual_income': 4 of 5 values (80.0%) could not be "
            "read as a number, e.g. 'unknown', 'n/a' (data_quality rule unreadable_number).",
            "More than var input_unreadable_max_share (0.5)",
            "raise input_unreadable_max_share",
        ],
    ),
    "date_column_day_first": (
        {"transactions": day_first(TRANSACTIONS)},
        [
            "Input 'transactions', column 'transacted_at': 14 of 14 values (100.0%) could not "
            "be read as a timestamp, e.g. '01/03/2025 10:00:00', '01/01/2025 10:00:00', "
            "'01/02/2025 10:00:00' (data_quality rule invalid_transacted_at).",
            "They are not ISO dates (YYYY-MM-DD): set the format they are written in, e.g. "
            "--vars '{input_date_formats: {transactions: {transacted_at: "
            '"%d/%m/%Y %H:%M:%S"}}}\'',
        ],
    ),
}


@pytest.mark.parametrize("case", list(STOPS))
def test_bad_input_stops_the_build_saying_what_to_change(shared: Path, case: str) -> None:
    inputs, messages = STOPS[case]
    result = build_shared(shared, "--select", "+data_quality", check=False, **inputs)

    assert result.returncode != 0
    for message in messages:
        assert message in result.output, result.output[-3000:]


def test_a_date_format_setting_reads_day_first_dates(tmp_path: Path) -> None:
    """The fix the day-first error names: with the format set, every date reads."""
    write_inputs(tmp_path / "inputs", transactions=day_first(TRANSACTIONS))
    result = build(
        tmp_path,
        input_date_formats={"transactions": {"transacted_at": "%d/%m/%Y %H:%M:%S"}},
        **SHARED_VARS,
    )
    counts = {key: affected for key, (affected, _) in quality(result).items()}
    assert counts["transactions", "invalid_transacted_at", "transacted_at"] == 1  # 'yesterday'
    rfm = result.query("select * from int_customer_rfm").set_index("customer_id")
    assert rfm.loc["C2", "recency_days"] == 26


def test_absent_optional_inputs_switch_their_families_off(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs", transactions=None, campaign_responses=None)
    result = build(tmp_path, optional_inputs=["credit_accounts"], **SHARED_VARS)

    columns = set(result.query("select * from int_customer_features").columns)
    assert "credit_utilization" in columns
    assert "recency_days" not in columns
    inputs = set(result.query("select distinct input_name from data_quality").input_name)
    assert inputs == {"customers", "credit_accounts"}


def test_mapping_to_a_column_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    write_inputs(tmp_path / "inputs")
    result = build(tmp_path, check=False, input_columns={"customers": {"gender": "sex"}})

    assert result.returncode != 0
    assert "maps 'gender' to 'sex', which is not a column of it" in result.output


# A vars file, as users pass one with --vars "$(cat my_vars.yml)": YAML null and ~ and
# the text 'null' all mean "this optional column is absent"; a source column named like
# an SQL keyword is read through a mapping (quoted).
NULL_MAPPINGS = """
input_source: files
input_file_template: "{inputs}/{{name}}.csv"
optional_inputs: []
as_of_date: "2025-04-01"
input_unreadable_max_share: 0.5
protected_attributes: []
customer_profile_columns: [annual_income, has_defaulted]
input_columns:
  customers:
    gender: null
    marital_status: ~
    birth_date: "null"
    has_defaulted: default
"""


def test_null_mappings_mean_absent_and_a_required_one_is_refused(tmp_path: Path) -> None:
    # a column named default: 1 for C1, C3 and C5
    lines = [line.strip() for line in CUSTOMERS.strip().splitlines()]
    customers = "\n".join(
        [lines[0] + ",default"]
        + [line + ("," + str(int(line.split(",")[0] in {"C1", "C3", "C5"}))) for line in lines[1:]]
    )
    write_inputs(tmp_path / "inputs", customers=customers)
    variables = NULL_MAPPINGS.format(inputs=tmp_path / "inputs")
    result = run_dbt(
        tmp_path / "run", "build", "--select", "+int_customer_features", "--vars", variables
    )
    base = result.query("select * from base_input__customers")
    assert base.gender.isna().all() and base.marital_status.isna().all()
    assert base.birth_date.isna().all() and "birth_date_unreadable" not in base.columns
    features = result.query("select customer_id, has_defaulted from int_customer_features")
    assert features.has_defaulted.sum() == 3

    # inline, as --vars '{...}': a required column mapped to null says so
    refused = run_dbt(
        tmp_path / "run",
        "build",
        "--select",
        "base_input__customers",
        variables=files_vars(
            tmp_path / "inputs", **SHARED_VARS, input_columns={"customers": {"customer_id": None}}
        ),
        check=False,
    )
    assert refused.returncode != 0
    assert (
        "var input_columns maps 'customer_id' to null (absent), but the contract requires it"
        in refused.output
    )


BAD_VARS = {
    "date_with_a_quote": (
        {"as_of_date": "2026-01-01'; select 1; --"},
        "var as_of_date is '2026-01-01'; select 1; --' (a text): expected a date written "
        "YYYY-MM-DD",
    ),
    "impossible_date": (
        {"as_of_date": "2026-02-30"},
        "var as_of_date is '2026-02-30' (a text): expected a date written YYYY-MM-DD",
    ),
    "number_as_text": (
        {"fairness_parity_threshold": "0.05"},
        "var fairness_parity_threshold is '0.05' (a text): expected a number at least 0 and "
        "at most 1",
    ),
    "share_above_one": (
        {"input_unreadable_max_share": 5},
        "var input_unreadable_max_share is 5: expected a number at least 0 and at most 1",
    ),
    "keyword_profile_column": (
        {"customer_profile_columns": ["annual_income", "default"]},
        "var customer_profile_columns lists 'default', an SQL keyword",
    ),
    "unknown_profile_type": (
        {"customer_profile_columns": {"tenure": "integer"}},
        "var customer_profile_columns: column 'tenure' has type 'integer' (a text): expected "
        "one of number, boolean, ordinal, categorical",
    ),
    "ordinal_without_levels": (
        {"customer_profile_columns": {"contract": "ordinal"}},
        "var customer_profile_columns: ordinal column 'contract' needs levels",
    ),
    "ordinal_level_twice": (
        {"customer_profile_columns": {"plan": {"type": "ordinal", "levels": ["Low", "low"]}}},
        "var customer_profile_columns: ordinal column 'plan' lists a level twice",
    ),
    "levels_on_a_categorical": (
        {"customer_profile_columns": {"plan": {"type": "categorical", "levels": ["a", "b"]}}},
        "var customer_profile_columns: column 'plan' is categorical and sets levels",
    ),
    "campaign_as_a_list": (
        {"propensity_campaign": ["K1"]},
        "var propensity_campaign is ['K1'] (a list): expected a campaign_id",
    ),
    "date_format_for_a_column_without_dates": (
        {"input_date_formats": {"transactions": {"amount": "%d/%m/%Y"}}},
        "var input_date_formats sets a format for 'transactions.amount', which is not a date "
        "column of input transactions (transacted_at)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_VARS))
def test_bad_var_is_refused_naming_it(tmp_path: Path, case: str) -> None:
    """Checked when dbt parses the project, before any SQL runs."""
    variables, message = BAD_VARS[case]
    write_inputs(tmp_path / "inputs")
    result = run_dbt(
        tmp_path / "run",
        "parse",
        variables=files_vars(tmp_path / "inputs", **variables),
        check=False,
    )
    assert result.returncode != 0
    assert message in result.output, result.output[-3000:]


def test_future_lines_and_extreme_amounts_cannot_distort_the_model(tmp_path: Path) -> None:
    """1% of the lines dated years ahead and five lines of 1e15 (the issue's cases) are
    excluded and counted: as_of_date stays the day after the last real line, and no
    customer's value is made of an absurd line. Then, every line in the future: the
    build stops saying so (same vars: dbt's parse is reused)."""
    rng = np.random.default_rng(11)
    customers = ["customer_id"] + [f"C{index:03d}" for index in range(100)]
    start = datetime.datetime(2025, 1, 1, 9)
    lines = ["order_id,customer_id,transacted_at,amount"]
    for index in range(2000):
        stamp = start + datetime.timedelta(hours=int(rng.integers(0, 364 * 24)))
        amount = round(float(rng.lognormal(3.0, 0.8)), 2)
        lines.append(f"O{index},C{index % 100:03d},{stamp:%Y-%m-%d %H:%M:%S},{amount}")
    last_real = max(line.split(",")[2][:10] for line in lines[1:])
    future = datetime.date.today() + datetime.timedelta(days=5 * 365)
    for index in range(20):
        lines.append(f"F{index},C{index:03d},{future:%Y-%m-%d} 10:00:00,25.0")
    for index in range(5):
        lines.append(f"X{index},C{index + 50:03d},2025-06-0{index + 1} 10:00:00,1e15")
    inputs = tmp_path / "inputs"
    write_csv(inputs / "customers.csv", "\n".join(customers))
    write_csv(inputs / "transactions.csv", "\n".join(lines))
    variables = files_vars(
        inputs,
        optional_inputs=["transactions"],
        protected_attributes=[],
        customer_profile_columns=[],
    )
    result = run_dbt(
        tmp_path / "run", "build", "--exclude", "ml_segment_preprocessing+", variables=variables
    )

    reference = result.query("select * from int_reference_date").iloc[0]
    assert str(reference.as_of_date)[:10] == str(
        datetime.date.fromisoformat(last_real) + datetime.timedelta(days=1)
    )
    found = quality(result)
    assert found["transactions", "dated_after_run_date", "transacted_at"] == (
        20,
        f"'{future:%Y-%m-%d} 10:00:00'",
    )
    assert found["transactions", "extreme_amount", "amount"] == (5, "'1000000000000000.0'")
    rfm = result.query(
        "select max(monetary_total) as top, max(recency_days) as oldest from int_customer_rfm"
    )
    assert rfm.top.item() < 10_000
    assert rfm.oldest.item() <= 365

    only_future = [lines[0]] + [line for line in lines[1:] if line.startswith("F")]
    write_csv(inputs / "transactions.csv", "\n".join(only_future))
    stopped = run_dbt(
        tmp_path / "run",
        "build",
        "--select",
        "+int_reference_date",
        variables=variables,
        check=False,
    )
    assert stopped.returncode != 0
    assert (
        "No as_of_date: input 'transactions' has no valid line dated on or before the run date"
        in stopped.output
    )
    assert "set var as_of_date (YYYY-MM-DD)" in stopped.output


@pytest.mark.shared_data
def test_telco_blank_total_charges_are_counted_not_lost(tmp_path: Path) -> None:
    """IBM Telco churn: TotalCharges is text with 11 blank strings (tenure 0). They are
    read as missing and counted with the blank as the example (0.16% of the column:
    below the default input_unreadable_max_share, so the build goes on)."""
    path = shared_dataset("telco_churn/Telco_Customer_Churn.csv")
    result = run_dbt(
        tmp_path / "run",
        "build",
        "--select",
        "+data_quality",
        variables={
            "input_source": "files",
            "optional_inputs": [],
            "as_of_date": "2026-01-01",
            "protected_attributes": ["gender"],
            "customer_profile_columns": ["tenure_months", "monthly_charges", "total_charges"],
            "input_files": {"customers": f"read_csv('{path}', header = true)"},
            "input_columns": {
                "customers": {
                    "customer_id": "customerID",
                    "tenure_months": "tenure",
                    "monthly_charges": "MonthlyCharges",
                    "total_charges": "TotalCharges",
                }
            },
        },
    )
    found = quality(result)
    assert found["customers", "unreadable_number", "total_charges"] == (11, "' '")
    # MonthlyCharges is read as a number already: it cannot hold unreadable values
    assert ("customers", "unreadable_number", "monthly_charges") not in found
