"""Bad segmentation input and configuration, through real dbt runs on tiny CSV inputs.

One build of the segmentation models on twelve customers (customers input only, three
numeric profile columns: one varies, one is constant, one is all null) proves that the
constant and the all-null feature are dropped with a named dbt warning. Then each bad
configuration is one `dbt run` of the one model that must refuse it, against the
tables that build left, and must fail with a message that says what to change; and one
or two customers, fewer than any segmentation needs, stop the first fit step saying how
many the k range needs.
"""

from __future__ import annotations

import pytest
from dbt_runner import DbtResult, files_vars, run_dbt, write_csv

pytestmark = pytest.mark.dbt

CUSTOMERS = """
    customer_id,gender,birth_date,marital_status,annual_income,household_size,loyalty_points
    C01,F,1980-05-01,Married,21000,2,
    C02,M,1990-12-31,Single,22000,2,
    C03,F,2000-01-01,Single,23000,2,
    C04,M,1960-06-15,Divorced,24000,2,
    C05,F,1985-03-03,Married,51000,2,
    C06,M,1975-07-07,Single,52000,2,
    C07,F,1995-09-09,Single,53000,2,
    C08,M,1970-02-02,Married,54000,2,
    C09,F,1965-04-04,Divorced,91000,2,
    C10,M,1992-08-08,Single,92000,2,
    C11,F,1988-10-10,Married,93000,2,
    C12,M,1978-11-11,Single,94000,2,
"""


@pytest.fixture(scope="module")
def base_vars(tmp_path_factory: pytest.TempPathFactory) -> dict:
    inputs = tmp_path_factory.mktemp("segmentation_inputs")
    write_csv(inputs / "customers.csv", CUSTOMERS)
    return files_vars(
        inputs,
        optional_inputs=[],
        as_of_date="2026-01-01",
        customer_profile_columns=["annual_income", "household_size", "loyalty_points"],
        segment_k_selection={"k_min": 3, "k_max": 4},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, base_vars: dict) -> DbtResult:
    work = tmp_path_factory.mktemp("segmentation_run")
    # cautious: leave out tests that also read models outside the selection
    return run_dbt(
        work,
        "build",
        "--indirect-selection",
        "cautious",
        "--select",
        "+customer_segments",
        variables=base_vars,
    )


def test_constant_and_all_null_features_are_dropped_with_a_named_warning(
    built: DbtResult,
) -> None:
    assert "Segmentation feature 'household_size' is left out of the model: zero variance" in (
        built.output
    )
    assert (
        "Segmentation feature 'loyalty_points' is left out of the model: all values null"
        in built.output
    )
    assert "WARN 2 warn_segment_feature_dropped" in built.output

    params = built.query(
        "select feature_name, is_dropped, drop_reason from ml_segment_preprocessing"
    ).set_index("feature_name")
    assert params["is_dropped"].to_dict() == {
        "annual_income": False,
        "household_size": True,
        "loyalty_points": True,
    }
    centroids = built.query("select distinct feature_name from ml_segment_centroids")
    assert centroids["feature_name"].tolist() == ["annual_income"]
    assert built.query("select count(*) as n from customer_segments")["n"].item() == 12


def run_model(built: DbtResult, base_vars: dict, model: str, **overrides: object) -> DbtResult:
    """Rerun one model on the built tables with changed vars, refitting (segment_mode
    retrain: score mode would refuse any configuration change); it must fail."""
    result = run_dbt(
        built.database.parent,
        "run",
        "--select",
        model,
        variables={**base_vars, "segment_mode": "retrain", **overrides},
        check=False,
    )
    assert result.returncode != 0, result.output[-3000:]
    return result


# one real run for each family: a range the data cannot fill, and a setting that is not a
# range (tests/unit/segmentation/test_k_range.py asserts every other message of k_range)
@pytest.mark.parametrize(
    ("k_selection", "message"),
    [
        (
            {"k_min": 3, "k_max": 20},
            "Segmentation needs at least 21 customers for k = 3..20 (one more than the largest "
            "k), and int_customer_features has 12: set k_max to at most 11",
        ),
        ({"k_min": "three", "k_max": 4}, "k_min must be a whole number, got 'three' (str)"),
    ],
    ids=["fewer_customers_than_k", "text"],
)
def test_bad_k_range_says_what_to_change(
    built: DbtResult, base_vars: dict, k_selection: dict, message: str
) -> None:
    result = run_model(
        built, base_vars, "ml_segment_model_selection", segment_k_selection=k_selection
    )
    assert message in result.output
    assert "var segment_k_selection" in result.output


def test_no_k_stable_enough_warns_naming_the_k_and_why(built: DbtResult, base_vars: dict) -> None:
    """An unreachable stability floor: the most stable k is taken, and dbt's output says
    which and why (the mart's choice_reason)."""
    k_selection = {"k_min": 3, "k_max": 4, "min_stability": 1.01}
    result = run_dbt(
        built.database.parent,
        "build",
        "--select",
        "ml_segment_model_selection",
        "segment_model_selection",
        "warn_k_selection_fallback",
        variables={**base_vars, "segment_mode": "retrain", "segment_k_selection": k_selection},
    )
    chosen = result.query(
        "select k, choice_reason, is_stability_fallback from segment_model_selection "
        "where is_chosen"
    ).iloc[0]
    assert chosen.is_stability_fallback
    assert chosen.choice_reason.startswith(
        f"no k >= 3 reached the stability floor min_stability = 1.01: k = {chosen.k} is the "
        "most stable"
    )
    assert f"segment_model_selection: {chosen.choice_reason}. Widen the k range" in " ".join(
        result.output.split()
    )
    assert "WARN 1 warn_k_selection_fallback" in result.output


def test_configured_feature_that_does_not_exist_names_it_and_the_columns(
    built: DbtResult, base_vars: dict
) -> None:
    result = run_model(
        built,
        base_vars,
        "ml_segment_preprocessing",
        segment_features=["annual_income", "loyalty_tier"],
    )
    assert "features ['loyalty_tier'] are configured in var segment_features" in result.output
    assert "available: ['annual_income', 'household_size', 'loyalty_points']" in result.output


@pytest.mark.parametrize("attribute", ["gender", "age_years"])
def test_protected_attribute_in_the_feature_list_is_refused(
    built: DbtResult, base_vars: dict, attribute: str
) -> None:
    result = run_model(
        built,
        base_vars,
        "ml_segment_preprocessing",
        segment_features=["annual_income", attribute],
    )
    # refused where dbt parses the project, before any model runs
    assert f"var segment_features lists '{attribute}', a protected attribute" in result.output
    assert "can never be a model feature" in result.output


@pytest.mark.parametrize("customers", [1, 2])
def test_too_few_customers_say_how_many_segmentation_needs(
    tmp_path, base_vars: dict, customers: int
) -> None:
    """One customer made every feature "constant" and two were told to lower k_max below
    2: both now hear how many customers the k range needs, before any statistic."""
    lines = CUSTOMERS.strip().splitlines()
    inputs = tmp_path / "inputs"
    write_csv(inputs / "customers.csv", "\n".join(lines[: customers + 1]))
    variables = {**base_vars, "input_file_template": f"{inputs}/{{name}}.csv"}
    result = run_dbt(
        tmp_path, "run", "--select", "+ml_segment_preprocessing", variables=variables, check=False
    )
    assert result.returncode != 0
    assert (
        f"Segmentation needs at least 5 customers for k = 3..4 (one more than the largest k), "
        f"and int_customer_features has {customers}: no k range can segment {customers}"
    ) in result.output
    assert "all null or constant" not in result.output
