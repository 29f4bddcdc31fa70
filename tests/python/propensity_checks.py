"""What the propensity lifecycle tests check on a real build: the SQL scores and reason
codes against scikit-learn's own predictions of the same fit, the propensity marts of
two builds, and a scikit-learn whose every fit raises."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult, run_dbt

from customer_segmentation.propensity.config import PropensityConfig
from customer_segmentation.propensity.data import read_propensity_data
from customer_segmentation.propensity.reasons import reference_contributions, top_reasons
from customer_segmentation.propensity.scoring import fit_served

PROPENSITY_MARTS = (
    "propensity_scores",
    "propensity_metrics",
    "propensity_lift",
    "propensity_fairness",
    "campaign_targets",
    "propensity_model_registry",
)
# a sitecustomize that makes every scikit-learn fit raise (each estimator's fit
# validates its parameters first): a build that fits anything fails
NO_FIT_SITECUSTOMIZE = """
import sklearn.base


def _refuse(self, *args, **kwargs):
    raise RuntimeError(f"a scikit-learn fit ran: {type(self).__name__}")


sklearn.base.BaseEstimator._validate_params = _refuse
"""


def run_dbt_without_fits(work: Path, *args: str, **kwargs: object) -> DbtResult:
    """``run_dbt`` with a scikit-learn whose every fit raises (a sitecustomize in
    ``work``/no_fit on PYTHONPATH)."""
    folder = work / "no_fit"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(NO_FIT_SITECUSTOMIZE)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PYTHONPATH", str(folder))
    try:
        return run_dbt(work, *args, **kwargs)
    finally:
        monkeypatch.undo()


def library_comparison(result: DbtResult) -> dict[str, float]:
    """The build's served model refitted by the library on the same training rows and
    configuration (deterministic: the same fit), against what SQL and the reason-code
    model computed for every customer: the largest absolute differences of the served
    and baseline probabilities and of the three reason contributions, and the number of
    customers whose reason features differ."""
    manifest = json.loads((result.database.parent / "target" / "manifest.json").read_text())
    meta = next(
        node["config"]["meta"]
        for node in manifest["nodes"].values()
        if node["name"] == "ml_propensity_model"
    )
    with duckdb.connect(str(result.database), read_only=True) as connection:
        table = connection.table
        data = read_propensity_data(
            table("int_propensity_features"),
            table("int_customer_attributes"),
            table("int_propensity_campaign"),
            table("ml_segment_preprocessing"),
            table("ml_segment_centroids"),
        )
        served = connection.sql(
            "select served_model from ml_propensity_model where part = 'constant'"
        ).fetchall()[0][0]
        scores = connection.sql("select * from int_propensity_scores").df()
    fitted = fit_served(data, PropensityConfig.from_meta(meta), served)
    # the library's log-odds (each learner's decision_function, of which predict_proba
    # is the logistic function) with the prior correction: what the build serves
    log_odds = fitted.log_odds(data.features)
    expected = pd.DataFrame(
        {
            "customer_id": data.customer_ids,
            "library_score": fitted.score(data.features),
            "library_baseline": 1 / (1 + np.exp(-log_odds["logistic_baseline"])),
        }
    )
    reasons = pd.DataFrame(
        top_reasons(reference_contributions(fitted, data.features), list(fitted.groups), 3)
    ).assign(customer_id=data.customer_ids)
    merged = scores.merge(expected, on="customer_id", validate="one_to_one").merge(
        reasons, on="customer_id", suffixes=("", "_library"), validate="one_to_one"
    )
    assert len(merged) == len(scores) == len(data.customer_ids)
    figures = {
        "served_model": served,
        "customers": len(merged),
        "score": float((merged.propensity_score - merged.library_score).abs().max()),
        "baseline": float((merged.baseline_score - merged.library_baseline).abs().max()),
    }
    for rank in (1, 2, 3):
        feature, contribution = f"reason_{rank}_feature", f"reason_{rank}_contribution"
        figures[f"{feature}_mismatches"] = int(
            (merged[feature].fillna("") != merged[f"{feature}_library"].fillna("")).sum()
        )
        figures[contribution] = float(
            (merged[contribution] - merged[f"{contribution}_library"]).abs().max()
        )
    return figures


def assert_sql_equals_library(result: DbtResult) -> dict[str, float]:
    """SQL scores equal the library's to 1e-9, reasons name the same features with
    contributions within 1e-9, for every customer of the build."""
    figures = library_comparison(result)
    assert figures["score"] <= 1e-9, figures
    assert figures["baseline"] <= 1e-9, figures
    for rank in (1, 2, 3):
        assert figures[f"reason_{rank}_feature_mismatches"] == 0, figures
        assert figures[f"reason_{rank}_contribution"] <= 1e-9, figures
    return figures


def propensity_marts(result: DbtResult) -> dict[str, pd.DataFrame]:
    """The propensity marts of a build, rows in a stable order, without run times."""
    marts = {}
    for name in PROPENSITY_MARTS:
        frame = result.query(f"select * from {name}")
        frame = frame.drop(columns=[c for c in frame.columns if c.endswith("_at")])
        marts[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return marts


def assert_same_propensity_marts(first: DbtResult, second: DbtResult) -> None:
    """Every propensity mart of ``second`` equals ``first``'s: the scores bit for bit;
    the warehouse's parallel sums (average precision) may differ in the last bits from
    build to build."""
    before, after = propensity_marts(first), propensity_marts(second)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame, rtol=1e-12, atol=1e-15, obj=name)
