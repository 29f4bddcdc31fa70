"""The software a build ran with, for the run manifest: installed package versions."""

from __future__ import annotations

import platform
import threading
from collections.abc import Sequence
from importlib import metadata

import pandas as pd


def package_versions(packages: Sequence[str]) -> pd.DataFrame:
    """One row per package (``package_name``, ``version``), in the order given, plus
    ``python``. A package that is not installed is listed with version ``None`` rather
    than failing the build: the manifest then shows it was absent.

    Args:
        packages: distribution names as pip knows them, e.g. ``scikit-learn``.
    """
    if isinstance(packages, str) or not all(isinstance(name, str) for name in packages):
        raise ValueError(f"packages must be a list of distribution names, got {packages!r}")
    rows = [("python", platform.python_version())]
    for name in packages:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = None
        rows.append((name, version))
    return pd.DataFrame(rows, columns=["package_name", "version"])


# dbt-duckdb runs Python models in threads; two threads importing scikit-learn at once
# can see a partially initialized module (ImportError: cannot import name 'clone').
SKLEARN_IMPORT_LOCK = threading.Lock()
