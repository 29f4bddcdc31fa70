"""Preprocessing: the documented order of operations, drops that are counted, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.segmentation.preprocessing import (
    FeatureSpec,
    apply_preprocessing,
    feature_specs,
    fit_preprocessing,
    kept_features,
    select_features,
    signed_log1p,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "monetary_total": [100.0, -20.0, None, 400.0],
            "recency_days": [5.0, None, 30.0, 90.0],
            "constant": [1.0, 1.0, 1.0, 1.0],
            "empty": [None, None, None, None],
        }
    ).astype("float64")


def test_impute_then_transform_then_standardize(frame: pd.DataFrame) -> None:
    specs = [FeatureSpec("monetary_total", "median", "log1p"), FeatureSpec("recency_days", "max")]
    params = fit_preprocessing(frame, specs)

    money = params.set_index("feature_name").loc["monetary_total"]
    assert money.impute_value == 100.0  # median of 100, -20, 400
    logged = signed_log1p(np.array([100.0, -20.0, 100.0, 400.0]))
    assert money["mean"] == pytest.approx(logged.mean())
    assert money.std_dev == pytest.approx(logged.std(ddof=0))
    assert params.set_index("feature_name").loc["recency_days"].impute_value == 90.0

    matrix = apply_preprocessing(frame, params)
    assert matrix.shape == (4, 2)
    np.testing.assert_allclose(matrix.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(matrix.std(axis=0), 1, atol=1e-12)
    assert matrix[1, 0] == pytest.approx((-np.log1p(20.0) - logged.mean()) / logged.std())


def test_blocks_of_rows_change_no_value(frame: pd.DataFrame) -> None:
    specs = [FeatureSpec("monetary_total", "median", "log1p"), FeatureSpec("recency_days", "max")]
    params = fit_preprocessing(frame, specs)
    whole = apply_preprocessing(frame, params)
    # blocks of 3 rows: a full one holding both nulls to impute, then a partial one
    np.testing.assert_array_equal(apply_preprocessing(frame, params, block_rows=3), whole)
    assert whole.flags.c_contiguous


def test_constant_and_empty_features_are_dropped_and_say_why(frame: pd.DataFrame) -> None:
    specs = [FeatureSpec("monetary_total"), FeatureSpec("constant"), FeatureSpec("empty")]
    params = fit_preprocessing(frame, specs).set_index("feature_name")

    assert params.loc["constant", "drop_reason"] == "zero variance"
    assert params.loc["empty", "drop_reason"] == "all values null"
    assert kept_features(params.reset_index()) == ["monetary_total"]
    assert apply_preprocessing(frame, params.reset_index()).shape == (4, 1)


def test_every_feature_dropped_is_an_error(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="nothing is left to segment on"):
        fit_preprocessing(frame, [FeatureSpec("constant"), FeatureSpec("empty")])


def test_missing_feature_names_it_and_lists_the_columns(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"\['income'\] are configured.*available"):
        fit_preprocessing(frame, [FeatureSpec("income")])


def test_unknown_strategy_names_the_feature() -> None:
    with pytest.raises(ValueError, match="feature 'x': impute 'mode'"):
        FeatureSpec("x", impute="mode")


def test_signed_log1p_is_log1p_for_non_negative_values() -> None:
    values = np.array([0.0, 1.0, 1e6])
    np.testing.assert_allclose(signed_log1p(values), np.log1p(values))
    assert signed_log1p(np.array([-3.0]))[0] == pytest.approx(-np.log1p(3.0))


def test_feature_specs_apply_defaults_then_overrides() -> None:
    specs = feature_specs(
        ["recency_days", "monetary_total"],
        {
            "default": {"impute": "mean"},
            "recency_days": {"impute": "max"},
            "monetary_total": {"transform": "log1p"},
            "balance": {"transform": "log1p"},  # family switched off: not a column
        },
    )
    assert specs == [
        FeatureSpec("recency_days", "max", "none"),
        FeatureSpec("monetary_total", "mean", "log1p"),
    ]


def test_select_features_defaults_to_every_column_and_keeps_a_configured_order() -> None:
    columns = ["recency_days", "frequency", "monetary_total"]
    assert select_features(columns) == columns
    assert select_features(columns, []) == columns
    assert select_features(columns, ["monetary_total", "frequency"]) == [
        "monetary_total",
        "frequency",
    ]


def test_select_features_expands_a_categorical_column_and_applies_exclusions() -> None:
    columns = ["tenure", "contract__month_to_month", "contract__two_year", "monthly_charges"]
    assert select_features(columns, ["contract", "tenure"]) == [
        "contract__month_to_month",
        "contract__two_year",
        "tenure",
    ]
    assert select_features(columns, None, excluded=["contract", "tenure"]) == ["monthly_charges"]
    assert select_features(columns, ["tenure", "monthly_charges"], excluded="tenure") == [
        "monthly_charges"
    ]
    with pytest.raises(
        ValueError, match=r"\['tenure_days'\] are configured .*segment_exclude_features"
    ):
        select_features(columns, None, excluded=["tenure_days"])
    with pytest.raises(ValueError, match="leaves no segmentation feature"):
        select_features(columns, ["tenure"], excluded=["tenure"])


def test_select_features_refuses_protected_missing_and_repeated_names() -> None:
    columns = ["recency_days", "frequency"]
    with pytest.raises(ValueError, match=r"\['Gender'\] are protected attributes"):
        select_features(columns, ["frequency", "Gender"], protected=["gender"])
    with pytest.raises(ValueError, match=r"\['birth_date'\] are protected"):
        select_features(columns, ["birth_date"])
    with pytest.raises(ValueError, match=r"\['age'\] are protected"):
        select_features([*columns, "age"])
    with pytest.raises(ValueError, match=r"\['tenure'\] are configured .* available: \["):
        select_features(columns, ["tenure"])
    with pytest.raises(ValueError, match="list a name twice"):
        select_features(columns, ["frequency", "frequency"])
