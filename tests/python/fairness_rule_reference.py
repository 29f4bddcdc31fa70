"""The fairness flag rule recomputed independently of the SQL: scipy's Wilson intervals,
Newcombe's interval of a difference, the MOVER-R bound of a ratio, the Bonferroni
level and the two rules of var fairness_flag_rule (docs/fairness.md "When a flag is
raised"). Shared by the end-to-end tests of segment_fairness and propensity_fairness."""

from __future__ import annotations

import math

from scipy.stats import binomtest


def comparison_level(comparisons: int, confidence_level: float = 0.95) -> float:
    """Bonferroni: each of ``comparisons`` at 1 - (1 - level) / comparisons; undefined
    (nan, null in SQL) when nothing is compared (every group under the minimum size)."""
    if comparisons < 1:
        return math.nan
    return 1 - (1 - confidence_level) / comparisons


def wilson(successes: int, trials: int, level: float) -> tuple[float, float]:
    interval = binomtest(int(successes), int(trials)).proportion_ci(level, method="wilson")
    return interval.low, interval.high


def difference_interval(
    successes_1: int, trials_1: int, successes_2: int, trials_2: int, level: float
) -> tuple[float, float]:
    """Newcombe's hybrid score interval of p1 - p2 (independent samples)."""
    p1, p2 = successes_1 / trials_1, successes_2 / trials_2
    lower_1, upper_1 = wilson(successes_1, trials_1, level)
    lower_2, upper_2 = wilson(successes_2, trials_2, level)
    return (
        p1 - p2 - math.hypot(p1 - lower_1, upper_2 - p2),
        p1 - p2 + math.hypot(upper_1 - p1, p2 - lower_2),
    )


def ratio_upper_bound(
    successes_1: int, trials_1: int, successes_2: int, trials_2: int, level: float
) -> float:
    """MOVER-R (Donner and Zou) upper bound of p1 / p2."""
    p1, p2 = successes_1 / trials_1, successes_2 / trials_2
    _, upper_1 = wilson(successes_1, trials_1, level)
    lower_2, _ = wilson(successes_2, trials_2, level)
    product = p1 * p2
    discriminant = product**2 - upper_1 * lower_2 * (2 * p1 - upper_1) * (2 * p2 - lower_2)
    return (product + math.sqrt(max(discriminant, 0))) / (lower_2 * (2 * p2 - lower_2))


def is_flagged(
    rule: str,
    estimate: float,
    lower: float | None,
    upper: float | None,
    below: float | None = None,
    above: float | None = None,
    no_difference: float = 0,
) -> bool:
    """The figure lies beyond [below, above] with the data's support, under ``rule``."""
    if rule == "interval_beyond_threshold":
        return bool((below is not None and upper < below) or (above is not None and lower > above))
    return bool(
        (below is not None and estimate < below and upper < no_difference)
        or (above is not None and estimate > above and lower > no_difference)
    )
