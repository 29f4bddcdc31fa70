"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest
from dbt_runner import DbtResult, run_dbt


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    """`dbt build` on the demo data, once per session (demo build, report, export, docs)."""
    return run_dbt(tmp_path_factory.mktemp("demo"), "build")
