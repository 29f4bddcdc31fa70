"""The segment scoring function published with the marts, called by a DuckDB client on
the published file: it scores a table of customers' features with the active model,
equal to what the full build gave those customers (customers with missing feature
values, imputed, among them), and a customer the build never saw gets what the build
gives the same features."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult

pytestmark = pytest.mark.dbt

COLUMNS = [
    "segment_id",
    "segment_name",
    "distance",
    "second_segment_id",
    "second_distance",
    "third_segment_id",
    "third_distance",
    "confidence",
    "segment_share",
    "second_segment_share",
    "third_segment_share",
    "explanation_1_feature",
    "explanation_1_contribution",
    "explanation_2_feature",
    "explanation_2_contribution",
    "explanation_3_feature",
    "explanation_3_contribution",
]


def test_the_published_function_scores_new_customers_as_the_build_does(
    demo_build: DbtResult,
) -> None:
    features = demo_build.query(
        "select feature_name from ml_segment_preprocessing where not is_dropped "
        "order by feature_position"
    ).feature_name.tolist()
    population = demo_build.query("select * from int_segmentation_population")[
        ["customer_id", *features]
    ]
    assert population[features].isna().any(axis=1).sum() > 0  # some are imputed
    unseen = population.iloc[[0]].assign(customer_id="NEW-0001")
    customers = pd.concat([population, unseen], ignore_index=True)
    with duckdb.connect(str(demo_build.published), read_only=True) as connection:
        connection.register("given", customers)
        connection.execute("create temp table new_customers as select * from given")
        scored = connection.sql("select * from score_segments('new_customers')").df()
        built = connection.sql("select * from customer_segments").df()
    assert len(scored) == len(customers)
    expected = built.set_index("customer_id").loc[population.customer_id, COLUMNS]
    expected.loc["NEW-0001"] = expected.loc[population.customer_id.iloc[0]]
    actual = scored.set_index("customer_id").loc[expected.index, COLUMNS]
    for column in COLUMNS:
        if pd.api.types.is_float_dtype(expected[column]):
            np.testing.assert_allclose(
                actual[column].to_numpy(dtype=float),
                expected[column].to_numpy(dtype=float),
                rtol=1e-9,
                atol=1e-12,
                err_msg=column,
            )
        else:
            assert (
                actual[column].fillna(-1).to_numpy() == expected[column].fillna(-1).to_numpy()
            ).all(), column
