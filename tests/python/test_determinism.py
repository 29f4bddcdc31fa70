"""The same input gives the same marts: a second, independent build of the demo data (a
fresh database, every step fitted again) must reproduce the first one's model version
and every public mart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from compare_marts import TOLERANCE as FLOAT_TOLERANCE
from compare_marts import sorted_rows
from dbt_runner import DbtResult, run_dbt
from test_docs import PUBLIC_MARTS


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return run_dbt(tmp_path_factory.mktemp("demo_again"), "build")


def test_a_second_build_registers_the_same_model_versions(
    demo_build: DbtResult, second_build: DbtResult
) -> None:
    sql = "select model_version, k from segment_model_registry"
    pd.testing.assert_frame_equal(demo_build.query(sql), second_build.query(sql))
    sql = "select model_version, served_model, roc_auc from propensity_model_registry"
    pd.testing.assert_frame_equal(demo_build.query(sql), second_build.query(sql))


@pytest.mark.parametrize("mart", PUBLIC_MARTS)
def test_a_second_build_gives_the_same_mart(
    demo_build: DbtResult, second_build: DbtResult, mart: str
) -> None:
    first = sorted_rows(demo_build.query(f"select * from {mart}"))
    again = sorted_rows(second_build.query(f"select * from {mart}"))
    assert len(first) > 0, f"{mart} is empty in the demo build"
    assert list(first.columns) == list(again.columns)
    assert len(first) == len(again)
    for column in first.columns:
        if pd.api.types.is_float_dtype(first[column]):
            np.testing.assert_allclose(
                again[column].to_numpy(dtype=float),
                first[column].to_numpy(dtype=float),
                rtol=FLOAT_TOLERANCE,
                atol=FLOAT_TOLERANCE,
                err_msg=f"{mart}.{column}",
            )
        else:
            pd.testing.assert_series_equal(again[column], first[column], obj=f"{mart}.{column}")
