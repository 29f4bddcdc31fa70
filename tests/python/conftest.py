"""Fixtures shared by several test modules."""

from __future__ import annotations

import fcntl
import os

import pytest
from dbt_runner import WORKSPACE_NAME, DbtResult, run_dbt


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    """`dbt build` on the demo data, once per test run (demo build, report, export,
    docs): with pytest-xdist, the first worker to need it builds it and the others
    wait for it and read the same files (tests that write copy them first)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    work = shared / "demo_build"
    with (shared / "demo_build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        log = work / "build.log"
        if log.exists():
            return DbtResult(0, log.read_text(), work / WORKSPACE_NAME)
        result = run_dbt(work, "build")
        log.write_text(result.output)
        return result
