"""Number formats for the labels charts write next to their marks."""

from __future__ import annotations

import math


def fmt(value: float | None, digits: int = 3) -> str:
    """Compact number: thousands separators for large values, ``digits`` significant."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:,.{max(digits - 2, 1)}f}M"
    if magnitude >= 1e4:
        return f"{value:,.0f}"
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{value:.{digits}g}"
