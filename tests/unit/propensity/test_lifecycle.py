"""The propensity fit steps' lifecycle: the version, the configuration check and its
message, score mode returning the registered table without reading the training rows."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from customer_segmentation.lifecycle.mode import PROPENSITY
from customer_segmentation.propensity.data import prepare_propensity_data
from customer_segmentation.propensity.lifecycle import (
    PropensityInputs,
    check_configuration,
    model_version,
    propensity_step,
    registered,
)

CONFIGURATION = {
    "learners": {"blend_weight": 0.5, "model": "auto"},
    "target": {"campaign_id": "C1"},
    "features": [["customer_id", "VARCHAR"], ["income", "DOUBLE"]],
    "protected": ["gender"],
    "segmentation_version": "abc",
}


def test_a_changed_configuration_is_refused_naming_each_change_and_what_to_run() -> None:
    previous = registered(pd.DataFrame({"x": [1]}), "v1", CONFIGURATION)
    check_configuration(previous, CONFIGURATION, "ml_propensity_model")  # unchanged: accepted
    changed = {
        **CONFIGURATION,
        "learners": {"blend_weight": 0.3, "model": "auto"},
        "target": {"campaign_id": "C2"},
    }
    with pytest.raises(ValueError) as refused:
        check_configuration(previous, changed, "ml_propensity_model")
    message = str(refused.value)
    assert "registered version v1" in message
    assert "learners.blend_weight was 0.5, is 0.3" in message
    assert 'target.campaign_id was "C1", is "C2"' in message
    assert "learners.model" not in message
    assert message.endswith(PROPENSITY.retrain_hint)


def training_frame(incomes: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "is_training": [True, True, True, False],
            "has_responded": [True, False, True, None],
            "income": incomes,
        }
    )


def test_the_version_is_a_hash_of_the_configuration_and_the_training_rows() -> None:
    data = prepare_propensity_data(training_frame([1.0, 2.0, 3.0, 4.0]), [], "C1")
    same = prepare_propensity_data(training_frame([1.0, 2.0, 3.0, 9.0]), [], "C1")
    other = prepare_propensity_data(training_frame([1.0, 2.5, 3.0, 4.0]), [], "C1")
    version = model_version(data, CONFIGURATION)
    assert version == model_version(same, CONFIGURATION)  # a scored-only row changed
    assert version != model_version(other, CONFIGURATION)
    assert version != model_version(data, {**CONFIGURATION, "protected": []})


def test_score_mode_returns_the_registered_table_without_reading_or_fitting() -> None:
    connection = duckdb.connect()
    connection.execute(
        "create table features as select 'A' as customer_id, true as is_training, "
        "true as has_responded, 1.0 as income"
    )
    connection.execute("create table attributes as select 'A' as customer_id, 'F' as gender")
    connection.execute("create table campaign as select 'C1' as campaign_id")
    connection.execute("create table centroids as select 'abc' as fit_fingerprint")
    inputs = PropensityInputs(
        features=connection.table("features"),
        attributes=connection.table("attributes"),
        campaign=connection.table("campaign"),
        preprocessing=None,  # read only by a fit
        centroids=connection.table("centroids"),
    )
    meta = {"lifecycle": {"mode": "score"}, "propensity": {}}
    configuration = inputs.configuration(meta)
    previous = registered(pd.DataFrame({"value": [7]}), "v1", configuration)

    def fit(data, config):
        raise AssertionError("score mode fitted")

    table = propensity_step("ml_propensity_model", inputs, previous, meta, fit)
    pd.testing.assert_frame_equal(table, previous)
    with pytest.raises(ValueError, match=r"learners\.folds was 5, is 3"):
        propensity_step(
            "ml_propensity_model",
            inputs,
            previous,
            {"lifecycle": {"mode": "score"}, "propensity": {"folds": 3}},
            fit,
        )


def test_a_customers_outcome_is_not_refused_when_the_as_of_date_moves() -> None:
    connection = duckdb.connect()
    connection.execute("create table features as select 'A' as customer_id, true as is_training")
    connection.execute("create table attributes as select 'A' as customer_id")
    connection.execute("create table centroids as select 'abc' as fit_fingerprint")
    configurations = []
    for day in ("2026-01-01", "2026-01-02"):
        connection.execute(
            "create or replace table campaign as select 'churn' as campaign_id, "
            f"date '{day}' as contacted_date, 'customers' as outcome_source"
        )
        inputs = PropensityInputs(
            features=connection.table("features"),
            attributes=connection.table("attributes"),
            campaign=connection.table("campaign"),
            preprocessing=None,
            centroids=connection.table("centroids"),
        )
        configurations.append(inputs.configuration({"propensity": {}}))
    assert configurations[0] == configurations[1]
    assert configurations[0]["target"] == {"campaign_id": "churn", "outcome_source": "customers"}
