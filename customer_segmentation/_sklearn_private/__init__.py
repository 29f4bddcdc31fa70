"""The only place the library uses scikit-learn's private API, and the version gate on it.

Three modules read or replace scikit-learn internals: the one-call weighted binning
backport (``binning``), the export of the trees as rows and their rebuilding as
scikit-learn tree predictors from the registered rows (``tree_export``), and the
one-pass tree reason codes (``tree_occlusion``), which ``propensity.registered`` runs on
the rebuilt trees. They are written for ``TESTED_SERIES``, the release series
requirements.lock pins, and the tests check them on it against the public-API
definitions (``decision_function``, ``propensity.reasons.reference_contributions``).
The binning backport is used only on that series (elsewhere the library takes the
public-API path: the same results, slower). The tree export and the reason codes from
the registered rows have no public-API path (scikit-learn has no public API for a
tree's nodes, and nothing is fitted when the reason codes run): on another series they
stop with ``require_tested_version``'s message instead of risking other results.
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


def require_tested_version(purpose: str) -> None:
    """Stop, saying what to install, unless the installed scikit-learn is of
    ``TESTED_SERIES`` (``purpose``: what needs its private API)."""
    with SKLEARN_IMPORT_LOCK:
        import sklearn
    if not is_tested_version(sklearn.__version__):
        raise RuntimeError(
            f"{purpose} reads scikit-learn's tree internals, written and tested for "
            f"scikit-learn {TESTED_SERIES}.x; scikit-learn {sklearn.__version__} is "
            "installed. Install the pinned versions (pip install -r requirements.lock, "
            "or `make install`)."
        )
