"""The telco churn table (../shared/data/telco_churn) through typed customer columns.

examples/telco_churn.yml maps a table of mostly text columns by plain column names
only: numbers, yes/no booleans, categorical columns and churn as an adverse outcome. One
build of the example as it is checks the typed features against pandas, the learned
category levels, the profiles by category, the count of the 11 blank TotalCharges, and
the churn model: its out-of-fold ROC-AUC against two plain scikit-learn references on
the same columns, the retention list and the adverse reading of the fairness marts. A
second build (no outcome) folds levels under 10%, makes contract an ordinal and
internet_service a segmentation feature (one-hot), and checks the folding, the ranks and
that segment names stay readable. Skipped where ../shared is absent.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, copy_build, run_dbt, shared_dataset
from propensity_checks import (
    assert_same_propensity_marts,
    assert_sql_equals_library,
    run_dbt_without_fits,
)
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

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
    return run_dbt(
        tmp_path_factory.mktemp("telco"), "build", variables=telco_vars(), cwd=PROJECT_DIR
    )


@pytest.fixture(scope="module")
def telco_one_hot_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    shared_dataset(TELCO)
    columns = telco_vars()["customer_profile_columns"]
    columns["contract"] = {"type": "ordinal", "levels": ["Month-to-month", "One year", "Two year"]}
    input_columns = telco_vars()["input_columns"]
    del input_columns["customers"]["churned"]
    variables = telco_vars(
        customer_profile_columns=columns,
        segment_features=["tenure_months", "monthly_charges", "internet_service"],
        # 10%: 'No phone service' (9.7% of multiple_lines) folds into 'other'
        category_min_share=0.1,
        # segmentation only: no outcome, so no propensity model
        propensity_outcome={"source": "campaign_responses"},
        input_columns=input_columns,
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


def test_levels_are_learned_and_stored(telco_build: DbtResult, telco: pd.DataFrame) -> None:
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
    # every level holds at least 1% of the customers: nothing folds by default
    assert not levels["is_folded"].any()
    assert not levels["is_unseen"].any()
    assert (levels["scored_customers"] == levels["fit_customers"]).all()
    unseen = telco_build.query(
        "select rows_affected from data_quality where check_name = 'category_level_unseen'"
    )
    assert unseen["rows_affected"].tolist() == [0]
    categories = telco_build.query("select * from int_customer_categories")
    assert len(categories) == 7043
    assert set(categories["contract"]) == {"Month-to-month", "One year", "Two year"}


def test_rare_levels_fold_into_other_and_are_counted(telco_one_hot_build: DbtResult) -> None:
    levels = telco_one_hot_build.query("select * from customer_category_levels")
    lines = levels.loc[levels["column_name"] == "multiple_lines"].set_index("level")
    assert lines.at["No phone service", "is_folded"]
    assert lines.at["No phone service", "model_level"] == "other"
    assert lines.at["No phone service", "fit_share"] == pytest.approx(682 / 7043)
    quality = telco_one_hot_build.query(
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
    categories = telco_one_hot_build.query("select * from int_customer_categories")
    assert (categories["multiple_lines"] == "other").sum() == 682


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


def reference_roc_aucs(telco: pd.DataFrame) -> dict[str, float]:
    """Out-of-fold ROC-AUC of plain scikit-learn on the example's feature columns
    (gender and SeniorCitizen, the protected attributes, left out): gradient boosting
    with native categoricals and a one-hot logistic regression."""
    numbers = ["tenure", "MonthlyCharges", "TotalCharges"]
    frame = telco.drop(columns=["customerID", "Churn", "gender", "SeniorCitizen"])
    frame[numbers] = frame[numbers].apply(pd.to_numeric, errors="coerce")
    texts = [column for column in frame.columns if column not in numbers]
    frame[texts] = frame[texts].astype("category")
    outcome = (telco["Churn"] == "Yes").astype(int)
    folds = StratifiedKFold(5, shuffle=True, random_state=42)
    trees = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=42)
    linear = make_pipeline(
        make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
            (OneHotEncoder(handle_unknown="ignore"), texts),
        ),
        LogisticRegression(max_iter=2000),
    )
    scores = {}
    for name, learner in (("gradient_boosting", trees), ("logistic", linear)):
        predicted = cross_val_predict(learner, frame, outcome, cv=folds, method="predict_proba")
        scores[name] = roc_auc_score(outcome, predicted[:, 1])
    return scores


def test_churn_is_the_adverse_outcome_and_the_served_model_is_as_good_as_plain_sklearn(
    telco_build: DbtResult, telco: pd.DataFrame
) -> None:
    metrics = telco_build.query("select * from propensity_metrics where scope = 'all'")
    assert set(metrics["outcome_direction"]) == {"adverse"}
    assert set(metrics["outcome_name"]) == {"churn"}
    assert (metrics["customers"] == 7043).all() and not metrics["is_sampled"].any()
    assert (metrics["responders"] == int((telco["Churn"] == "Yes").sum())).all()
    served = metrics.loc[metrics["is_served"]].iloc[0]
    # the served candidate is the best out of fold
    assert served.roc_auc == pytest.approx(metrics["roc_auc"].max())
    references = reference_roc_aucs(telco)
    assert served.roc_auc >= max(references.values()) - 0.005, (served.roc_auc, references)

    features = telco_build.query("select * from ml_propensity_features")
    categorical = set(features.loc[features["is_categorical"], "feature_name"])
    assert {"contract", "internet_service", "payment_method"} <= categorical
    for protected in ("gender", "senior_citizen", "churned", "has_outcome"):
        assert protected not in set(features["feature_name"])


def test_sql_scores_equal_the_library_for_every_customer_with_categorical_features(
    telco_build: DbtResult,
) -> None:
    figures = assert_sql_equals_library(telco_build)
    assert figures["customers"] == 7043
    categorical = telco_build.query(
        "select count(*) as categorical_columns from ml_propensity_model "
        "where part = 'column' and is_categorical"
    )
    assert categorical["categorical_columns"].item() > 0


def test_a_daily_build_of_the_churn_model_fits_nothing_and_keeps_its_marts(
    telco_build: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    work = copy_build(telco_build, tmp_path_factory.mktemp("telco_daily"))
    daily = run_dbt_without_fits(work, "build", variables=telco_vars(), cwd=PROJECT_DIR)
    assert_same_propensity_marts(telco_build, daily)


def test_the_target_list_is_a_retention_list_of_customers_not_yet_lost(
    telco_build: DbtResult,
) -> None:
    targets = telco_build.query(
        "select targets.*, features.has_responded from campaign_targets as targets "
        "inner join int_propensity_features as features using (customer_id)"
    )
    assert len(targets) == 500
    assert set(targets["list_purpose"]) == {"retention"}
    assert not targets["has_responded"].any()
    scores = targets.sort_values("target_rank")["propensity_score"].to_numpy()
    assert (np.diff(scores) <= 0).all()


def test_fairness_reads_the_adverse_direction_for_gender_and_senior_citizen(
    telco_build: DbtResult,
) -> None:
    fairness = telco_build.query(
        "select * from propensity_fairness where attribute_name in ('gender', 'senior_citizen')"
    )
    assert set(fairness["outcome_direction"]) == {"adverse"}
    for attribute, groups in fairness.groupby("attribute_name"):
        assert len(groups) == 2, attribute
        # for an adverse outcome the best group is the least flagged one
        assert groups["best_selection_rate"].iloc[0] == pytest.approx(
            groups["selection_rate"].min()
        )
    seniors = fairness.set_index(["attribute_name", "group_name"])
    assert (
        seniors.at[("senior_citizen", "1"), "selection_rate"]
        > seniors.at[("senior_citizen", "0"), "selection_rate"]
    )
