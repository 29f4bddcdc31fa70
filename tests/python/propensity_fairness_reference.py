"""propensity_fairness recomputed independently: fairlearn's MetricFrame (selection rate,
true and false positive rates, precision, ROC-AUC) on the served model's out-of-fold
predictions at propensity_metrics' threshold, and the flag rule of
fairness_rule_reference, compared row by row. Shared by the end-to-end tests of the
demo build and of the marketing_campaign example."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult

# name -> (fairlearn/scikit-learn metric, denominator column, the highest value is best)
_RATES = {
    "selection_rate": ("selection_rate", "customers", True),
    "true_positive_rate": ("true_positive_rate", "responders", True),
    "false_positive_rate": ("false_positive_rate", "non_responders", False),
    "precision": ("precision", "predicted_positives", True),
}


def _metric_functions() -> dict:
    from fairlearn.metrics import (
        count,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import precision_score

    def predicted_positives(y_true: np.ndarray, y_pred: np.ndarray) -> int:
        return int(np.sum(y_pred))

    def responders(y_true: np.ndarray, y_pred: np.ndarray) -> int:
        return int(np.sum(y_true))

    def precision(y_true: np.ndarray, y_pred: np.ndarray) -> float:
        return precision_score(y_true, y_pred, zero_division=0)

    return {
        "selection_rate": selection_rate,
        "true_positive_rate": true_positive_rate,
        "false_positive_rate": false_positive_rate,
        "precision": precision,
        "customers": count,
        "responders": responders,
        "predicted_positives": predicted_positives,
    }


def _roc_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y_true, y_score) if len(np.unique(y_true)) == 2 else np.nan


def assert_propensity_fairness_equals_fairlearn(
    result: DbtResult,
    attribute_sets: list[list[str]],
    parity_threshold: float,
    suppress_below: int = 10,
    min_group_size: int = 30,
    rule: str = "significant_beyond_threshold",
) -> int:
    """Assert every figure of propensity_fairness equals fairlearn's to 1e-9 (the
    intervals of the flag rule to 1e-7); returns the number of published groups checked."""
    from fairlearn.metrics import MetricFrame
    from fairness_rule_reference import comparison_level, difference_interval, is_flagged
    from scipy.stats import binomtest

    served = result.query(
        "select model_name, threshold from propensity_metrics where is_served and scope = 'all'"
    ).iloc[0]
    data = result.query(
        f"""
        select attributes.*, oof.has_responded, oof.oof_score
        from ml_propensity_oof_predictions as oof
        inner join int_customer_attributes as attributes using (customer_id)
        where oof.model_name = '{served.model_name}'
        """
    )
    y_true = data.has_responded.astype(int).to_numpy()
    y_pred = (data.oof_score >= served.threshold).astype(int).to_numpy()
    ours = result.query("select * from propensity_fairness")
    assert set(ours.model_name) == {served.model_name}
    assert np.allclose(ours.threshold, served.threshold, atol=0, rtol=0)
    checked = 0
    for columns in attribute_sets:
        name = " x ".join(columns)
        frame = MetricFrame(
            metrics=_metric_functions(),
            y_true=y_true,
            y_pred=y_pred,
            sensitive_features=data[columns],
        )
        aucs = MetricFrame(
            metrics=_roc_auc,
            y_true=y_true,
            y_pred=data.oof_score.to_numpy(),
            sensitive_features=data[columns],
        ).by_group
        # fairlearn lists every combination of the columns' values, including empty ones
        groups = frame.by_group.loc[lambda by_group: by_group.customers > 0].copy()
        groups["non_responders"] = groups.customers - groups.responders
        groups["roc_auc"] = aucs.loc[groups.index]
        groups.index = [" / ".join(key) if isinstance(key, tuple) else key for key in groups.index]
        # a rate with nothing to divide is undefined (null in SQL)
        for rate, (_, denominator, _) in _RATES.items():
            groups.loc[groups[denominator] == 0, rate] = np.nan
        # the reference is the best measured group (ties: the first name)
        measured = groups.loc[groups.customers >= min_group_size].sort_index()
        level = comparison_level(len(_RATES) * len(measured))
        rows = ours.loc[ours.attribute_name == name].set_index("group_name")
        assert sorted(rows.index) == sorted(groups.index), name
        for group, expected in groups.iterrows():
            row = rows.loc[group]
            if expected.customers < suppress_below:
                assert row.is_suppressed and pd.isna(row.customers) and pd.isna(row.selection_rate)
                continue
            assert not row.is_suppressed
            assert row.is_low_confidence == (expected.customers < min_group_size)
            for column in ["customers", "responders", "predicted_positives"]:
                assert row[column] == expected[column], (name, group, column)
            flags = {}
            for rate, (_, denominator, highest_is_best) in [
                *_RATES.items(),
                ("roc_auc", (None, "customers", True)),
            ]:
                value = expected[rate]
                best = measured[rate].max() if highest_is_best else measured[rate].min()
                if pd.isna(value):
                    assert pd.isna(row[rate]), (name, group, rate)
                    flags[rate] = False
                    continue
                assert row[rate] == pytest.approx(value, abs=1e-9), (name, group, rate)
                # no measured group (all under the minimum size): no best, no difference
                assert row[f"best_{rate}"] == pytest.approx(best, abs=1e-9, nan_ok=True), (
                    name,
                    rate,
                )
                assert row[f"{rate}_difference"] == pytest.approx(
                    value - best, abs=1e-9, nan_ok=True
                )
                if rate != "roc_auc" and expected.customers >= min_group_size:
                    reference = (
                        measured[rate].idxmax() if highest_is_best else measured[rate].idxmin()
                    )
                    lower, upper = difference_interval(
                        round(value * expected[denominator]),
                        int(expected[denominator]),
                        round(best * measured.loc[reference, denominator]),
                        int(measured.loc[reference, denominator]),
                        level,
                    )
                    assert row[f"{rate}_difference_ci_lower"] == pytest.approx(lower, abs=1e-7)
                    assert row[f"{rate}_difference_ci_upper"] == pytest.approx(upper, abs=1e-7)
                    flags[rate] = is_flagged(
                        rule, value - best, lower, upper, -parity_threshold, parity_threshold
                    )
                else:
                    flags[rate] = False  # a low-confidence group is never flagged
                if rate != "roc_auc":
                    successes = round(value * expected[denominator])
                    interval = binomtest(successes, int(expected[denominator])).proportion_ci(
                        0.95, method="wilson"
                    )
                    assert row[f"{rate}_ci_lower"] == pytest.approx(interval.low, abs=1e-9)
                    assert row[f"{rate}_ci_upper"] == pytest.approx(interval.high, abs=1e-9)
                else:
                    assert row.roc_auc_ci_lower <= value <= row.roc_auc_ci_upper
            assert row.is_demographic_parity_flagged == flags["selection_rate"]
            assert row.is_equal_opportunity_flagged == flags["true_positive_rate"]
            assert row.is_equalized_odds_flagged == (
                flags["true_positive_rate"] or flags["false_positive_rate"]
            )
            assert row.is_predictive_parity_flagged == flags["precision"]
            checked += 1
    return checked
