"""The software and threads a build runs with: package versions for the run manifest,
the scikit-learn import lock, and the one way the library caps native threads."""

from __future__ import annotations

import os
import platform
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from importlib import metadata

import pandas as pd

# dbt-duckdb runs Python models in threads; two threads importing scikit-learn at once
# can see a partially initialized module
SKLEARN_IMPORT_LOCK = threading.Lock()

_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
# Python threads for work split into independent parts (folds, row blocks): one per
# core this process may use, at most two
PYTHON_THREADS = max(1, min(2, _CORES or 1))


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


def thread_limit(threads: int | None, user_api: str | None = None) -> AbstractContextManager:
    """A context capping the native threads (OpenMP and BLAS, or only ``user_api``,
    e.g. ``"openmp"``) at ``threads``; None: no cap, and nothing is touched.

    threadpoolctl caps only libraries already loaded, so scikit-learn's runtimes
    (its OpenMP and SciPy's BLAS, which ``sklearn.cluster`` loads) are loaded first.
    The BLAS cap is process-wide; OpenMP's holds for the calling thread only.
    """
    if threads is None:
        return nullcontext()
    with SKLEARN_IMPORT_LOCK:
        import sklearn.cluster  # noqa: F401  (loads the runtimes the cap must see)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads, user_api=user_api)


def _cap_openmp(threads: int | None) -> None:
    if threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads, "openmp")


def capped_pool(workers: int, threads: int | None) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads, each capping OpenMP at ``threads`` for its life
    (OpenMP keeps its cap per thread, so the caller's cap does not reach them)."""
    return ThreadPoolExecutor(workers, initializer=_cap_openmp, initargs=(threads,))
