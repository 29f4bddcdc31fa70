"""The segment lifecycle through real dbt runs on twelve customers: a first build fits
and registers a model, a score-mode build fits nothing (scikit-learn cannot even be
imported; the drift baseline and feature_drift are built too) and keeps every
assignment, a retrain with another seed registers a new version, and each bad
lifecycle state fails with a message saying what to run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dbt_runner import WORKSPACE_NAME, DbtResult, copy_build, files_vars, run_dbt, write_csv

from customer_segmentation.lifecycle.mode import RETRAIN_HINT

pytestmark = pytest.mark.dbt

CUSTOMERS = """
    customer_id,gender,birth_date,marital_status,annual_income,household_size
    C01,F,1980-05-01,Married,21000,1
    C02,M,1990-12-31,Single,22000,2
    C03,F,2000-01-01,Single,23000,1
    C04,M,1960-06-15,Divorced,24000,2
    C05,F,1985-03-03,Married,51000,4
    C06,M,1975-07-07,Single,52000,5
    C07,F,1995-09-09,Single,53000,4
    C08,M,1970-02-02,Married,54000,5
    C09,F,1965-04-04,Divorced,91000,2
    C10,M,1992-08-08,Single,92000,3
    C11,F,1988-10-10,Married,93000,2
    C12,M,1978-11-11,Single,94000,3
"""
SELECT = [
    "--indirect-selection",
    "cautious",
    "--select",
    "+customer_segments",
    "+segment_model_registry",
    "+segment_model_registry_features",
    "+segment_model_registry_centroids",
    "+segment_identity_matches",
    "+segment_model_registry_feature_bins",
    "+feature_drift",
]
ASSIGNMENTS = (
    "select customer_id, segment_id, segment_name, distance from customer_segments "
    "order by customer_id"
)
REGISTRY = "select * from segment_model_registry order by activated_at"
# a scikit-learn that cannot be imported: a score-mode build that fits would fail
POISONED_SKLEARN = 'raise ImportError("scikit-learn was imported in score mode")\n'


@pytest.fixture(scope="module")
def base_vars(tmp_path_factory: pytest.TempPathFactory) -> dict:
    inputs = tmp_path_factory.mktemp("lifecycle_inputs")
    write_csv(inputs / "customers.csv", CUSTOMERS)
    return files_vars(
        inputs,
        optional_inputs=[],
        as_of_date="2026-01-01",
        customer_profile_columns=["annual_income", "household_size"],
        segment_k_selection={"rule": "fixed", "fixed_k": 3, "k_min": 3, "k_max": 3},
    )


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory, base_vars: dict
) -> dict[str, tuple[DbtResult, pd.DataFrame, pd.DataFrame]]:
    """First build, a score-mode build without scikit-learn, then a retrain with another
    seed, on one database; each with the assignments and registry it left."""
    work = tmp_path_factory.mktemp("lifecycle_run")
    poisoned = tmp_path_factory.mktemp("poisoned_path")
    (poisoned / "sklearn").mkdir()
    (poisoned / "sklearn" / "__init__.py").write_text(POISONED_SKLEARN)
    snapshots = {}

    def build(name: str, variables: dict, pythonpath: Path | None = None) -> None:
        monkeypatch = pytest.MonkeyPatch()
        if pythonpath is not None:
            monkeypatch.setenv("PYTHONPATH", str(pythonpath))
        try:
            result = run_dbt(work, "build", *SELECT, variables=variables)
        finally:
            monkeypatch.undo()
        snapshots[name] = (result, result.query(ASSIGNMENTS), result.query(REGISTRY))

    build("first", base_vars)
    build("score", base_vars, pythonpath=poisoned)
    build(
        "retrain",
        {
            **base_vars,
            "segment_mode": "retrain",
            "segment_fit_overrides": {"random_state": 7, "n_init": 1},
        },
    )
    return snapshots


def test_first_build_fits_and_registers_one_version(runs: dict) -> None:
    result, assignments, registry = runs["first"]
    assert len(assignments) == 12
    assert len(registry) == 1
    row = registry.iloc[0]
    assert row["k"] == 3 and row["segment_count"] == 3 and row["feature_count"] == 2
    # the database has moved on (the later builds): look up the first version's rows
    version = f"where model_version = '{row['model_version']}'"
    features = result.query(f"select * from segment_model_registry_features {version}")
    assert sorted(features["feature_name"]) == ["annual_income", "household_size"]
    centroids = result.query(f"select * from segment_model_registry_centroids {version}")
    assert len(centroids) == 3 * 2


def test_score_mode_fits_nothing_registers_nothing_and_keeps_assignments(runs: dict) -> None:
    # the build ran with a scikit-learn that raises on import: nothing imported it
    _, first_assignments, first_registry = runs["first"]
    _, assignments, registry = runs["score"]
    pd.testing.assert_frame_equal(assignments, first_assignments)
    pd.testing.assert_frame_equal(registry, first_registry)


def test_retrain_registers_a_new_active_version(runs: dict) -> None:
    _, _, first_registry = runs["first"]
    result, _, registry = runs["retrain"]
    assert len(registry) == 2
    assert registry["model_version"].iloc[0] == first_registry["model_version"].iloc[0]
    active = registry["model_version"].iloc[-1]
    assert active != first_registry["model_version"].iloc[0]
    version = result.query("select model_version from int_segment_model_version")
    assert version["model_version"].item() == active
    centroids = result.query("select distinct model_version from segment_model_registry_centroids")
    assert len(centroids) == 2


def test_refit_with_another_seed_keeps_every_segment_id_and_name(runs: dict) -> None:
    _, first_assignments, first_registry = runs["first"]
    result, assignments, registry = runs["retrain"]
    columns = ["customer_id", "segment_id", "segment_name"]
    pd.testing.assert_frame_equal(assignments[columns], first_assignments[columns])
    matches = result.query("select * from segment_identity_matches order by segment_id")
    assert matches["identity_status"].tolist() == ["kept"] * 3
    assert (matches["previous_segment_id"] == matches["segment_id"]).all()
    assert (matches["match_distance"] < 1.0).all()
    # the same four customers in each, against the first build's scoring
    assert set(matches["identity_reason"]) == {"clear_match"}
    assert matches["members_compared"].tolist() == [4, 4, 4]
    assert (matches["share_from_previous_segment"] == 1.0).all()
    assert (matches["share_of_previous_segment"] == 1.0).all()
    assert not matches["is_name_reused"].any()
    assert set(matches["previous_model_version"]) == {first_registry["model_version"].iloc[0]}
    assert set(matches["model_version"]) == {registry["model_version"].iloc[-1]}


def failed_run(work: Path, select: list[str], variables: dict) -> str:
    """The output of `dbt run --select <select>` in work, which must fail saying how to
    retrain (the hint that works for a user with a vars file)."""
    result = run_dbt(work, "run", "--select", *select, variables=variables, check=False)
    assert result.returncode != 0
    assert RETRAIN_HINT in result.output
    return result.output


def copy_of(runs: dict, tmp_path: Path) -> Path:
    result, _, _ = runs["retrain"]
    return copy_build(result, tmp_path)


def test_score_mode_without_a_model_and_first_fit_disabled_says_what_to_run(
    tmp_path: Path, base_vars: dict
) -> None:
    output = failed_run(
        tmp_path,
        ["+ml_segment_preprocessing"],
        {**base_vars, "segment_allow_first_fit": False},
    )
    assert "No registered segmentation model" in output


@pytest.mark.parametrize(
    ("select", "changed", "message"),
    [
        pytest.param(
            ["int_customer_features", "ml_segment_preprocessing"],
            {"customer_profile_columns": ["annual_income"]},
            "uses features ['household_size'] that int_customer_features no longer has",
            id="registered_feature_missing_from_the_inputs",
        ),
        pytest.param(
            ["ml_segment_preprocessing"],
            {"segment_features": ["annual_income"]},
            "The feature configuration changed since the registered segmentation model",
            id="changed_feature_configuration",
        ),
        pytest.param(
            ["ml_segment_model_selection"],
            {"segment_k_selection": {"rule": "fixed", "fixed_k": 2, "k_min": 2, "k_max": 3}},
            "The configuration of ml_segment_model_selection",
            id="changed_k_selection",
        ),
    ],
)
def test_score_mode_on_changed_inputs_or_configuration_says_what_to_run(
    runs: dict, base_vars: dict, tmp_path: Path, select: list[str], changed: dict, message: str
) -> None:
    output = failed_run(copy_of(runs, tmp_path), select, {**base_vars, **changed})
    assert message in output


def test_drift_baseline_of_a_model_fitted_before_it_existed_says_what_to_run(
    runs: dict, base_vars: dict, tmp_path: Path
) -> None:
    # a database whose registered model predates the drift baseline: preprocessing
    # without training_fingerprint, no ml_segment_feature_bins
    work = copy_of(runs, tmp_path)
    with duckdb.connect(str(work / WORKSPACE_NAME)) as connection:
        connection.execute("alter table ml_segment_preprocessing drop column training_fingerprint")
        connection.execute("drop table ml_segment_feature_bins")
    output = failed_run(work, ["ml_segment_feature_bins"], base_vars)
    assert "ml_segment_feature_bins needs the training data of the registered" in output


def test_segment_migration_before_any_snapshot_is_empty(runs: dict, tmp_path: Path) -> None:
    # `dbt run` without `dbt snapshot`: no customer_segments_snapshot table yet (the
    # builds above took it, as segment_identity_matches reads it: drop it)
    work = copy_of(runs, tmp_path)
    with duckdb.connect(str(work / WORKSPACE_NAME)) as connection:
        connection.execute("drop table customer_segments_snapshot")
    result = run_dbt(work, "run", "--select", "segment_migration")
    assert result.query("select count(*) as n from segment_migration")["n"].item() == 0
    columns = result.query("select * from segment_migration limit 0").columns.tolist()
    assert columns[:3] == ["from_scored_at", "to_scored_at", "from_segment"]
