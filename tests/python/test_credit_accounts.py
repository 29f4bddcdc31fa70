"""Credit accounts as card tables have them, through one real build on a tiny CSV input.

The card table has only an id, the balance, the credit limit and one extra column (a
repayment-status month, pay_0, added with var credit_account_extra_columns): the build
must produce credit_utilization and the extra feature, and none of the features that
need columns the table does not have (purchases, cash advances, payments, ...). Two
customers have no account at all: they are the segment of their own (segment 0), or,
under segment_missing_family impute, clustered with the share shown.
"""

from __future__ import annotations

import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, write_csv

pytestmark = pytest.mark.dbt

# A13 and A14 have no credit account
CUSTOMERS = "\n".join(["id"] + [f"A{number:02d}" for number in range(1, 15)])

# A01 has two accounts (balances add up, pay_0 takes the worse month); A12's pay_0 is
# unreadable and A11's is blank
ACCOUNTS = """
    id,balance,credit_limit,pay_0
    A01,100,1000,-1
    A01,300,1000,2
    A02,200,1000,0
    A03,900,1000,1
    A04,50,2000,-1
    A05,1500,2000,3
    A06,10,5000,-2
    A07,4000,5000,2
    A08,2500,5000,0
    A09,700,8000,-1
    A10,7000,8000,4
    A11,300,3000,
    A12,2900,3000,n/a
"""


@pytest.fixture(scope="module")
def base_vars(tmp_path_factory: pytest.TempPathFactory) -> dict:
    inputs = tmp_path_factory.mktemp("card_inputs")
    write_csv(inputs / "customers.csv", CUSTOMERS)
    write_csv(inputs / "credit_accounts.csv", ACCOUNTS)
    return files_vars(
        inputs,
        optional_inputs=["credit_accounts"],
        as_of_date="2026-01-01",
        customer_profile_columns=[],
        protected_attributes=[],
        input_columns={
            "customers": {"customer_id": "id"},
            "credit_accounts": {"customer_id": "id"},
        },
        credit_account_extra_columns={"pay_0": "max"},
        # one unreadable value in twelve is noise here, not a mapping problem
        input_unreadable_max_share=0.1,
        segment_k_selection={"k_min": 3, "k_max": 4},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, base_vars: dict) -> DbtResult:
    work = tmp_path_factory.mktemp("card_run")
    return run_dbt(
        work,
        "build",
        "--indirect-selection",
        "cautious",
        "--select",
        "+customer_segments",
        "+data_quality",
        variables=base_vars,
    )


def test_features_are_built_only_from_the_columns_present(built: DbtResult) -> None:
    features = built.query("select * from int_customer_features order by customer_id")
    assert features.columns.tolist() == [
        "customer_id",
        "balance",
        "credit_limit",
        "credit_utilization",
        "pay_0",
    ]
    first = features.set_index("customer_id").loc["A01"]
    assert first["balance"] == 400 and first["credit_limit"] == 2000
    assert first["credit_utilization"] == pytest.approx(0.2)
    assert first["pay_0"] == 2  # max over the customer's accounts

    utilization = set(built.query("select * from int_customer_utilization").columns)
    absent = {"purchases", "cash_advance", "payments", "minimum_payments", "full_payment_ratio"}
    assert not utilization & absent
    assert not utilization & {"cash_advance_share", "payments_to_minimum_ratio"}

    model = built.query("select feature_name from ml_segment_preprocessing order by 1")
    assert model["feature_name"].tolist() == [
        "balance",
        "credit_limit",
        "credit_utilization",
        "pay_0",
    ]
    segments = built.query("select * from customer_segments").set_index("customer_id")
    assert len(segments) == 14
    own = segments.loc[["A13", "A14"]]
    assert (own.segment_id == 0).all() and (own.segment_name == "No credit account").all()
    assert not own.has_credit_account.any() and own.distance.isna().all()
    assert (segments.drop(["A13", "A14"]).segment_id > 0).all()


def test_extra_column_is_typed_and_its_unreadable_value_counted(built: DbtResult) -> None:
    quality = built.query(
        "select check_name, column_name, rows_affected from data_quality "
        "where input_name = 'credit_accounts' and rows_affected > 0"
    )
    counted = {(row.check_name, row.column_name): row.rows_affected for row in quality.itertuples()}
    assert counted[("unreadable_number", "pay_0")] == 1
    # no minimum payments column: nothing is counted as missing from it
    assert ("minimum_payments_missing", "minimum_payments") not in counted
    pay = built.query("select customer_id, pay_0 from int_customer_features").set_index(
        "customer_id"
    )
    assert pay["pay_0"].loc[["A11", "A12"]].isna().all()


def run_utilization(built: DbtResult, base_vars: dict, **overrides: object) -> DbtResult:
    result = run_dbt(
        built.database.parent,
        "run",
        "--select",
        "base_input__credit_accounts",
        variables={**base_vars, **overrides},
        check=False,
    )
    assert result.returncode != 0, result.output[-3000:]
    return result


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"sex": "max"}, "lists 'sex', a protected attribute"),
        ({"pay_9": "max"}, "lists 'pay_9', but the credit_accounts input"),
        ({"pay_0": "median"}, "gives 'pay_0' the aggregate 'median' (a text): use one of sum, avg"),
    ],
    ids=["protected", "absent", "aggregate"],
)
def test_bad_extra_columns_say_what_to_change(
    built: DbtResult, base_vars: dict, extra: dict, message: str
) -> None:
    result = run_utilization(built, base_vars, credit_account_extra_columns=extra)
    assert message in result.output


def test_impute_policy_clusters_everyone_and_shows_the_share(
    tmp_path_factory: pytest.TempPathFactory, base_vars: dict
) -> None:
    work = tmp_path_factory.mktemp("card_impute_run")
    result = run_dbt(
        work,
        "build",
        "--indirect-selection",
        "cautious",
        "--select",
        "+segment_profiles",
        "+segment_feature_profiles",
        variables={**base_vars, "segment_missing_family": "impute"},
    )
    profiles = result.query("select * from segment_profiles")
    assert 0 not in profiles.segment_id.tolist() and profiles.is_clustered.all()
    assert profiles.customers.sum() == 14
    # the two customers without an account are somewhere, and it shows
    without = profiles.share_without_credit_account * profiles.customers
    assert without.sum() == pytest.approx(2)
    imputed = result.query(
        "select segment_id, imputed_share, customers from segment_feature_profiles "
        "where feature_name = 'credit_utilization'"
    )
    assert (imputed.imputed_share * imputed.customers).sum() == pytest.approx(2)
