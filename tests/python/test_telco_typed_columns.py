"""The telco churn table (../shared/data/telco_churn) through typed customer columns.

examples/telco_churn.yml maps a table of mostly text columns by plain column names
only: numbers, yes/no booleans and categorical columns. One build of it checks the
typed features against pandas, the learned category levels and their folding, the
profiles by category and the count of the 11 blank TotalCharges; a second build makes
contract an ordinal and internet_service a segmentation feature (one-hot), and checks
the ranks and that segment names stay readable. Skipped where ../shared is absent.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, run_dbt, shared_dataset

pytestmark = [pytest.mark.dbt, pytest.mark.shared_data]

TELCO = "telco_churn/Telco_Customer_Churn.csv"
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def telco_vars(**overrides: object) -> dict:
    example = yaml.safe_load((PROJECT_DIR / "examples" / "telco_churn.yml").read_text())
    return {**example, **overrides}


@pytest.fixture(scope="module")
def telco() -> pd.DataFrame:
    return pd.read_csv(shared_dataset(TELCO), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def telco_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    shared_dataset(TELCO)
    # 10%: 'No phone service' (9.7% of multiple_lines) folds into 'other'
    variables = telco_vars(category_min_share=0.1)
    return run_dbt(tmp_path_factory.mktemp("telco"), "build", variables=variables, cwd=PROJECT_DIR)


@pytest.fixture(scope="module")
def telco_one_hot_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    shared_dataset(TELCO)
    columns = telco_vars()["customer_profile_columns"]
    columns["contract"] = {"type": "ordinal", "levels": ["Month-to-month", "One year", "Two year"]}
    variables = telco_vars(
        customer_profile_columns=columns,
        segment_features=["tenure_months", "monthly_charges", "internet_service"],
    )
    return run_dbt(
        tmp_path_factory.mktemp("telco_one_hot"), "build", variables=variables, cwd=PROJECT_DIR
    )


def test_the_example_maps_plain_column_names_only() -> None:
    mapping = telco_vars()["input_columns"]["customers"]
    assert all(IDENTIFIER.fullmatch(column) for column in mapping.values()), mapping
    assert "read_csv" not in str(telco_vars()["input_files"])


def test_blank_total_charges_are_counted_not_lost(
    telco_build: DbtResult, telco: pd.DataFrame
) -> None:
    blanks = int((telco["TotalCharges"].str.strip() == "").sum())
    assert blanks == 11
    quality = telco_build.query(
        "select * from data_quality where input_name = 'customers' "
        "and check_name = 'unreadable_number' and column_name = 'total_charges'"
    ).iloc[0]
    assert quality.rows_affected == blanks
    assert quality.rows_in == quality.rows_out == len(telco) == 7043
    assert quality.example_values == "' '"
    features = telco_build.query("select * from int_customer_features")
    assert len(features) == 7043
    assert features["total_charges"].isna().sum() == blanks


def test_numbers_and_booleans_are_features_and_categories_are_not(
    telco_build: DbtResult, telco: pd.DataFrame
) -> None:
    features = telco_build.query("select * from int_customer_features").set_index("customer_id")
    expected = telco.set_index("customerID").loc[features.index]
    assert (features["tenure_months"] == expected["tenure"].astype(float)).all()
    assert (features["has_partner"] == (expected["Partner"] == "Yes").astype(float)).all()
    assert features["has_dependents"].mean() == pytest.approx((telco["Dependents"] == "Yes").mean())
    for column in ("contract", "internet_service", "payment_method", "gender", "senior_citizen"):
        assert column not in features.columns
    model = telco_build.query("select feature_name from ml_segment_preprocessing")
    assert "contract" not in set(model["feature_name"])


def test_levels_are_learned_folded_and_stored(telco_build: DbtResult, telco: pd.DataFrame) -> None:
    levels = telco_build.query("select * from customer_category_levels")
    assert set(levels["column_name"]) == {
        "multiple_lines",
        "internet_service",
        "online_security",
        "online_backup",
        "device_protection",
        "tech_support",
        "streaming_tv",
        "streaming_movies",
        "contract",
        "payment_method",
    }
    payment = levels.loc[levels["column_name"] == "payment_method"].set_index("level")
    counts = telco["PaymentMethod"].value_counts()
    assert payment["fit_customers"].to_dict() == counts.to_dict()
    assert not payment["is_folded"].any()
    lines = levels.loc[levels["column_name"] == "multiple_lines"].set_index("level")
    assert lines.at["No phone service", "is_folded"]
    assert lines.at["No phone service", "model_level"] == "other"
    assert lines.at["No phone service", "fit_share"] == pytest.approx(682 / 7043)
    assert not levels["is_unseen"].any()
    assert (levels["scored_customers"] == levels["fit_customers"]).all()

    quality = telco_build.query(
        "select column_name, rows_affected, example_values from data_quality "
        "where check_name = 'category_level_folded'"
    )
    assert quality.to_dict("records") == [
        {
            "column_name": "multiple_lines",
            "rows_affected": 682,
            "example_values": "'No phone service'",
        }
    ]
    unseen = telco_build.query(
        "select rows_affected from data_quality where check_name = 'category_level_unseen'"
    )
    assert unseen["rows_affected"].tolist() == [0]

    categories = telco_build.query("select * from int_customer_categories")
    assert len(categories) == 7043
    assert (categories["multiple_lines"] == "other").sum() == 682
    assert set(categories["contract"]) == {"Month-to-month", "One year", "Two year"}


def test_segments_are_profiled_by_their_categorical_make_up(
    telco_build: DbtResult, telco: pd.DataFrame
) -> None:
    profiles = telco_build.query("select * from segment_category_profiles")
    shares = profiles.groupby(["segment_id", "column_name"])["segment_share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)
    contract = profiles.loc[profiles["column_name"] == "contract"]
    population = contract.groupby("level")["population_share"].first()
    expected = telco["Contract"].value_counts(normalize=True)
    assert population.to_dict() == pytest.approx(expected.to_dict())
    # the segment's level counts add up to the population's
    totals = contract.groupby("level")["level_customers"].sum()
    assert totals.to_dict() == telco["Contract"].value_counts().to_dict()

    summary = telco_build.query("select segment_id, top_categories from segment_profiles")
    assert summary["top_categories"].notna().all()
    assert summary["top_categories"].str.contains(r"^\w+: .+ \d+% \(population \d+%\)").all()
    assert telco_build.query("select count(*) as n from segment_feature_profiles").n.item() > 0


def test_an_ordinal_is_its_rank_and_a_one_hot_feature_names_segments_by_level(
    telco_one_hot_build: DbtResult, telco: pd.DataFrame
) -> None:
    result = telco_one_hot_build
    features = result.query("select * from int_customer_features").set_index("customer_id")
    ranks = {"Month-to-month": 1.0, "One year": 2.0, "Two year": 3.0}
    expected = telco.set_index("customerID").loc[features.index, "Contract"].map(ranks)
    assert (features["contract"] == expected).all()
    indicators = [column for column in features.columns if column.startswith("internet_service__")]
    assert sorted(indicators) == [
        "internet_service__dsl",
        "internet_service__fiber_optic",
        "internet_service__no",
    ]
    assert (features[indicators].sum(axis=1) == 1).all()
    model = result.query("select feature_name from ml_segment_preprocessing order by 1")
    assert set(model["feature_name"]) == {"tenure_months", "monthly_charges", *indicators}
    names = result.query("select segment_name from segment_profiles")["segment_name"]
    assert not names.str.contains("__|High internet service|Low internet service").any()
    assert names.str.contains("internet service: ").any(), names.tolist()
