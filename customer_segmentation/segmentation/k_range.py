"""The candidate k of K selection: the configured range, validated, and the customers it needs.

Nothing here imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

K_SETTING = "var segment_k_selection (or config.meta k_selection of ml_segment_model_selection)"
# the k range ml_segment_model_selection's YAML ships with (tested equal): the fallback
# where a k_selection leaves k_min or k_max out
DEFAULT_K_MIN, DEFAULT_K_MAX = 3, 10
# two segments and one customer more: no k range can segment fewer
FEWEST_CUSTOMERS = 3


def k_range(k_min: object, k_max: object) -> list[int]:
    """The candidate k values k_min..k_max, validated: whole numbers, 2 <= k_min <= k_max."""
    for name, value in (("k_min", k_min), ("k_max", k_max)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"{name} must be a whole number, got {value!r} ({type(value).__name__}): "
                f"set it in {K_SETTING}"
            )
    if k_min < 2:
        raise ValueError(
            f"k_min must be at least 2 (one segment is no segmentation), got {k_min}: "
            f"set it in {K_SETTING}"
        )
    if k_min > k_max:
        raise ValueError(
            f"k_min ({k_min}) is greater than k_max ({k_max}): no candidate k; set k_min <= "
            f"k_max in {K_SETTING}"
        )
    return list(range(k_min, k_max + 1))


def configured_k_range(k_selection: dict | None) -> list[int]:
    """The candidate k of a k_selection configuration (``k_min``..``k_max``, the shipped
    defaults for a bound it leaves out), validated as ``k_range``."""
    settings = k_selection or {}
    return k_range(settings.get("k_min", DEFAULT_K_MIN), settings.get("k_max", DEFAULT_K_MAX))


def check_customer_count(n_rows: int, k_values: Sequence[int]) -> None:
    """Refuse fewer customers than the candidate k need: k_max + 1, as K-Means needs k
    of them and the silhouette, the cluster indices and the stability refits' subsamples
    one more. The message names the count, the range and what to change."""
    k_min, k_max = min(k_values), max(k_values)
    needed = k_max + 1
    if n_rows >= needed:
        return
    shown = f"{k_min}..{k_max}" if k_min < k_max else f"{k_max}"
    if n_rows >= FEWEST_CUSTOMERS:
        bound = "k_max" if n_rows > k_min else "k_min and k_max"
        change = f"set {bound} to at most {n_rows - 1} in {K_SETTING}, or segment more customers"
    else:
        change = (
            f"no k range can segment {n_rows} (k = 2 needs {FEWEST_CUSTOMERS}): check the "
            "customers input (var input_source and the customers table or file)"
        )
    raise ValueError(
        f"Segmentation needs at least {needed} customers for k = {shown} (one more than "
        f"the largest k), and int_customer_features has {n_rows}: {change}"
    )


def validate_k_values(k_values: Sequence[int], n_rows: int) -> list[int]:
    """``k_values`` as a list, checked: whole numbers >= 2, ascending, and enough rows."""
    values = list(k_values)
    if not values or any(not isinstance(k, int) or k < 2 for k in values):
        raise ValueError(f"k_values must be whole numbers of at least 2, got {values}")
    if values != sorted(set(values)):
        raise ValueError(f"k_values must be ascending without repeats, got {values}")
    check_customer_count(n_rows, values)
    return values
