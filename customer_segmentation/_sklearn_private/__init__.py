"""The only place the library uses scikit-learn's private API, and the version gate on it.

Two speed-ups read or replace scikit-learn internals: the one-call weighted binning
backport (``binning``) and the one-pass tree reason codes (``tree_occlusion``). Each is
used only on ``TESTED_SERIES``, the release series requirements.lock pins and the tests
check them on against the public-API definitions; on any other scikit-learn the library
takes the public-API path instead (the same results, slower).
"""

from __future__ import annotations

from customer_segmentation.runtime import SKLEARN_IMPORT_LOCK

# major.minor of the scikit-learn releases this package is written and tested against
TESTED_SERIES = "1.9"


def release_series(version: str) -> str:
    """``major.minor`` of a version string (``"1.9.1"`` -> ``"1.9"``)."""
    return ".".join(version.split(".")[:2])


def is_tested_version(version: str | None = None) -> bool:
    """Whether ``version`` (default: the installed scikit-learn) is of ``TESTED_SERIES``,
    where the private API this package uses is the one it was tested against."""
    if version is None:
        with SKLEARN_IMPORT_LOCK:
            import sklearn
        version = sklearn.__version__
    return release_series(version) == TESTED_SERIES
