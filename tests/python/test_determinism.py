"""The same input gives the same marts: a second, independent build of the demo data (a
fresh database, every step fitted again) must reproduce the first one's model version
and every public mart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dbt_runner import DbtResult, run_dbt
from test_docs import PUBLIC_MARTS

# DuckDB's parallel float sums may differ in the last bits between two builds
FLOAT_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return run_dbt(tmp_path_factory.mktemp("demo_again"), "build")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order: by every column, floats rounded so noise cannot reorder."""
    key = frame.copy()
    for column in key.columns:
        if pd.api.types.is_float_dtype(key[column]):
            key[column] = key[column].round(6)
    order = key.astype(str).sort_values(list(key.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def test_a_second_build_registers_the_same_model_version(
    demo_build: DbtResult, second_build: DbtResult
) -> None:
    sql = "select model_version, k from segment_model_registry"
    pd.testing.assert_frame_equal(demo_build.query(sql), second_build.query(sql))


@pytest.mark.parametrize("mart", PUBLIC_MARTS)
def test_a_second_build_gives_the_same_mart(
    demo_build: DbtResult, second_build: DbtResult, mart: str
) -> None:
    first = _sorted(demo_build.query(f"select * from {mart}"))
    again = _sorted(second_build.query(f"select * from {mart}"))
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
