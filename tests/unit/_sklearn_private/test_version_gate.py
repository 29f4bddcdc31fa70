"""The private-API code runs only on the scikit-learn series it is tested on, which is
the series requirements.lock pins (so these tests exercise it)."""

from __future__ import annotations

import re

import pytest
import sklearn
from dbt_runner import PROJECT_DIR

from customer_segmentation._sklearn_private import (
    TESTED_SERIES,
    is_tested_version,
    release_series,
)


@pytest.mark.parametrize(
    ("version", "tested"),
    [("1.9.0", True), ("1.9.1", True), ("1.8.2", False), ("1.10.0", False), ("2.0.0", False)],
)
def test_only_the_tested_series_passes_the_gate(version: str, tested: bool) -> None:
    assert release_series(version) == ".".join(version.split(".")[:2])
    assert is_tested_version(version) is tested


def test_the_pinned_and_installed_scikit_learn_is_the_tested_series() -> None:
    """Moving requirements.lock to another series fails here until the private-API code
    is checked on it and TESTED_SERIES moves with it."""
    lock = (PROJECT_DIR / "requirements.lock").read_text()
    pinned = re.search(r"(?m)^scikit-learn==(\S+)$", lock).group(1)
    assert release_series(pinned) == TESTED_SERIES
    assert sklearn.__version__ == pinned
    assert is_tested_version()
