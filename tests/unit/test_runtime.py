"""The run manifest's inputs that need no build: package versions and what it hashes."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR

from customer_segmentation.runtime import package_versions


def test_package_versions_lists_python_then_each_package_in_order() -> None:
    import sklearn

    versions = package_versions(["scikit-learn", "no-such-package-xyz"])
    assert versions.package_name.tolist() == ["python", "scikit-learn", "no-such-package-xyz"]
    assert versions.version.iloc[1] == sklearn.__version__
    assert pd.isna(versions.version.iloc[2])


def test_package_versions_rejects_a_bare_string() -> None:
    with pytest.raises(ValueError, match="list of distribution names"):
        package_versions("scikit-learn")


def test_every_var_is_hashed_or_declared_a_location() -> None:
    # a new var must be added to run_manifest's configuration_vars (or, when it only
    # says where input is read from, to location_vars), or the manifest misses it
    project_vars = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    manifest = yaml.safe_load((PROJECT_DIR / "models/marts/audit/run_manifest.yml").read_text())
    meta = manifest["models"][0]["config"]["meta"]
    listed = set(meta["configuration_vars"]) | set(meta["location_vars"])
    assert project_vars - listed == set()
    assert not set(meta["configuration_vars"]) & set(meta["location_vars"])


def test_project_version_is_the_same_in_dbt_and_the_package() -> None:
    # run_manifest.project_version is the package's: they must not drift apart
    dbt_version = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["version"]
    with (PROJECT_DIR / "pyproject.toml").open("rb") as file:
        package_version = tomllib.load(file)["project"]["version"]
    assert str(dbt_version) == package_version


def test_thread_limit_caps_native_threads_and_none_touches_nothing() -> None:
    from contextlib import nullcontext

    from threadpoolctl import threadpool_info

    from customer_segmentation.runtime import capped_pool, thread_limit

    assert isinstance(thread_limit(None), nullcontext)
    with thread_limit(1):
        assert {pool["num_threads"] for pool in threadpool_info()} == {1}
    with thread_limit(1, user_api="openmp"):
        openmp = [pool for pool in threadpool_info() if pool["user_api"] == "openmp"]
        assert openmp and {pool["num_threads"] for pool in openmp} == {1}

    def openmp_threads() -> set[int]:
        return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "openmp"}

    with capped_pool(2, 1) as pool:
        assert pool.submit(openmp_threads).result() == {1}
