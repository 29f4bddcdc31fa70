"""The segmentation tests' shared data: four well-separated standardized blobs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    X, _ = make_blobs(n_samples=1200, centers=4, cluster_std=0.6, random_state=7)
    return (X - X.mean(axis=0)) / X.std(axis=0)
