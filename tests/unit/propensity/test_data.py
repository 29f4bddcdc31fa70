"""The propensity data: reading in database order, segments, protected attributes, targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_segmentation.propensity.cross_validation import out_of_fold_predictions
from customer_segmentation.propensity.data import (
    PropensityData,
    assign_segments,
    feature_list,
    read_feature_rows,
)
from customer_segmentation.propensity.export import model_rows
from customer_segmentation.propensity.registered import registered_reason_codes
from customer_segmentation.propensity.scoring import fit_served

from .synthetic import FAST, data, synthetic


def served_outputs(prepared: PropensityData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The served fit's registered rows, and every customer's score and reason codes."""
    fitted = fit_served(prepared, FAST, "gradient_boosting")
    rows = model_rows(fitted, prepared)
    design = prepared.features.assign(customer_id=prepared.customer_ids)
    scores = registered_reason_codes(design, rows).assign(
        propensity_score=fitted.score(prepared.features)
    )
    return rows, scores


def test_reading_contacted_rows_in_database_order_gives_the_same_results() -> None:
    """The Python models read the feature table ordered in DuckDB, the out-of-fold and
    feature-list models only its contacted rows: every output equals the one computed
    from the whole table read in any order."""
    import duckdb

    frame = synthetic(600, seed=9).sample(frac=1.0, random_state=1)
    rng = np.random.default_rng(2)
    visits = pd.array(rng.integers(0, 5, len(frame)), dtype="Int64")
    visits[rng.random(len(frame)) < 0.2] = pd.NA  # a nullable integer column
    frame["visits"] = visits
    frame["has_responded"] = frame["has_responded"].astype("boolean")
    segments = lambda table: np.where(table.signal.to_numpy() > 0, 2, 1)  # noqa: E731
    with duckdb.connect() as connection:
        relation = connection.from_df(frame)
        whole = relation.df()
        contacted = read_feature_rows(relation, training_only=True)
        everyone = read_feature_rows(relation)
        with pytest.raises(ValueError, match=r"lacks columns \['is_training'\]"):
            read_feature_rows(relation.project("customer_id, has_responded, signal"))
    assert contacted.is_training.all() and len(contacted) == frame.is_training.sum()
    assert contacted.customer_id.is_monotonic_increasing
    full, part = data(whole, segments(whole)), data(contacted, segments(contacted))
    pd.testing.assert_frame_equal(
        out_of_fold_predictions(full, FAST), out_of_fold_predictions(part, FAST), check_exact=True
    )
    pd.testing.assert_frame_equal(feature_list(full), feature_list(part), check_exact=True)
    for whole_output, read_output in zip(
        served_outputs(full), served_outputs(data(everyone, segments(everyone))), strict=True
    ):
        pd.testing.assert_frame_equal(whole_output, read_output, check_exact=True)


def test_segments_become_one_reason_group() -> None:
    frame = synthetic()
    segments = np.where(frame.signal > 0.5, 2, 1)
    prepared = data(frame, segments)
    assert prepared.groups["segment_id"] == ["segment_1", "segment_2"]
    listed = feature_list(prepared)
    assert listed.feature_group.tolist().count("segment_id") == 2
    assert listed.feature_position.tolist() == list(range(1, len(listed) + 1))


def test_assign_segments_picks_the_nearest_centroid() -> None:
    frame = pd.DataFrame({"x": [0.0, 10.0, None], "y": [0.0, 10.0, 1.0]})
    preprocessing = pd.DataFrame(
        {
            "feature_name": ["x", "y"],
            "feature_position": [1, 2],
            "impute_value": [0.0, 0.0],
            "transform": ["none", "none"],
            "mean": [0.0, 0.0],
            "std_dev": [1.0, 1.0],
            "is_dropped": [False, False],
        }
    )
    centroids = pd.DataFrame(
        {
            "segment_id": [1, 1, 2, 2],
            "feature_name": ["x", "y", "x", "y"],
            "centroid_scaled": [9.0, 9.0, 1.0, 1.0],
        }
    )
    assert assign_segments(frame, preprocessing, centroids).tolist() == [2, 1, 2]


def test_protected_attribute_is_refused_as_a_feature() -> None:
    frame = synthetic().assign(gender="F")
    with pytest.raises(ValueError, match=r"protected attributes \['gender'\]"):
        data(frame)


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ("none", "has only non-responders"),
        ("all", "has only responders"),
        ("two", "2 responders, fewer than folds = 3"),
    ],
)
def test_unlearnable_targets_fail_naming_the_campaign(responses: str, message: str) -> None:
    frame = synthetic()
    contacted = frame.is_training
    value = {"none": False, "all": True, "two": False}[responses]
    frame.loc[contacted, "has_responded"] = value
    if responses == "two":
        frame.loc[frame.index[contacted][:2], "has_responded"] = True
    with pytest.raises(ValueError, match=message) as error:
        out_of_fold_predictions(data(frame), FAST)
    assert "target campaign 'K1'" in str(error.value)


def test_a_feature_unknown_for_every_training_row_is_left_out() -> None:
    frame = synthetic().assign(last_campaign_responded=np.nan)
    frame.loc[~frame.is_training, "last_campaign_responded"] = 1.0
    prepared = data(frame)
    assert "last_campaign_responded" not in prepared.features.columns
    assert len(out_of_fold_predictions(prepared, FAST)) == 2 * frame.is_training.sum()
