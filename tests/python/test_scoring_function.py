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
from dbt_runner import DbtResult, files_vars, run_dbt
from demo_inputs import read_demo, write_inputs

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
        scored = connection.sql("select * from marts.score_segments('new_customers')").df()
        built = connection.sql("select * from marts.customer_segments").df()
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


def test_new_customers_of_the_input_contract_through_the_feature_models_and_the_function(
    demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The documented path for raw input (docs/segmentation.md): the feature models alone
    on a file of new customers, then the published function on their features."""
    tables = {name: read_demo(name) for name in ("customers", "transactions", "credit_accounts")}
    with_card = tables["credit_accounts"]["customer_id"].drop_duplicates()
    picked = set(with_card.iloc[::100])  # 1% of the demo's card holders
    new = {name: table.loc[table["customer_id"].isin(picked)] for name, table in tables.items()}
    # and one of them again under an id the build never saw
    source = sorted(picked)[0]
    for name, table in new.items():
        clone = table.loc[table["customer_id"] == source].copy()
        clone["customer_id"] = "NEW-" + clone["customer_id"]
        if "order_id" in clone:
            clone["order_id"] = "NEW-" + clone["order_id"]
        new[name] = pd.concat([table, clone], ignore_index=True)
    inputs = tmp_path_factory.mktemp("new_customers")
    write_inputs(inputs, new)
    as_of = demo_build.query("select as_of_date from int_reference_date").as_of_date.item()
    variables = files_vars(
        inputs,
        optional_inputs=["transactions", "credit_accounts"],
        as_of_date=str(as_of)[:10],
    )
    work = tmp_path_factory.mktemp("new_customers_features")
    features_build = run_dbt(
        work, "build", "--select", "+int_segmentation_population", variables=variables
    )
    features = demo_build.query(
        "select feature_name from ml_segment_preprocessing where not is_dropped "
        "order by feature_position"
    ).feature_name.tolist()
    computed = features_build.query("select * from int_segmentation_population")[
        ["customer_id", *features]
    ]
    assert len(computed) == len(picked) + 1
    assert computed[features].isna().any(axis=1).any()  # some are imputed
    with duckdb.connect(str(demo_build.published), read_only=True) as connection:
        connection.register("given", computed)
        connection.execute("create temp table new_customers as select * from given")
        scored = connection.sql("select * from marts.score_segments('new_customers')").df()
        built = connection.sql("select * from marts.customer_segments").df()
    built = built.set_index("customer_id")
    scored = scored.set_index("customer_id")
    for customer in picked:
        assert scored.loc[customer, "segment_id"] == built.loc[customer, "segment_id"]
        assert scored.loc[customer, "distance"] == pytest.approx(built.loc[customer, "distance"])
    assert scored.loc[f"NEW-{source}", "segment_id"] == built.loc[source, "segment_id"]
    assert scored.loc[f"NEW-{source}", "distance"] == pytest.approx(built.loc[source, "distance"])
