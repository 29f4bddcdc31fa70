"""The charts' shared pieces: palette, data types, axes, legends and the SVG frame."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

# Colour-blind-safe categorical palette (Okabe-Ito, reordered for contrast).

PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#8C564B",
]
INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#e4e7eb"
FLAG = "#c62828"
FONT = "font-family=\"Inter, 'Segoe UI', Helvetica, Arial, sans-serif\""


def color(index: int) -> str:
    """Categorical colour for series ``index`` (cycles after ten)."""
    return PALETTE[index % len(PALETTE)]


@dataclass
class Series:
    """One line of a line chart."""

    name: str
    xs: Sequence[float]
    ys: Sequence[float | None]
    color: str = PALETTE[0]
    dashed: bool = False
    points: bool = True


@dataclass
class IntervalRow:
    """One estimate with its interval, for an interval (dot and whisker) chart."""

    label: str
    estimate: float | None
    lower: float | None = None
    upper: float | None = None
    reference: float | None = None
    flagged: bool = False
    group: str = ""
    note: str = ""


@dataclass
class _Frame:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    parts: list[str] = field(default_factory=list)
    marks: int = 0

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


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


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 12))
    return ticks


def _linear(d0: float, d1: float, r0: float, r1: float) -> Callable[[float], float]:
    span = (d1 - d0) or 1.0
    return lambda v: r0 + (v - d0) * (r1 - r0) / span


def _text(
    x: float, y: float, text: str, *, size: float = 11, anchor: str = "middle", fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(text)}</text>'
    )


def _svg(frame: _Frame, kind: str, label: str) -> str:
    body = "".join(frame.parts)
    return (
        f'<svg class="chart" data-chart="{kind}" data-marks="{frame.marks}" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {frame.width} {frame.height}" '
        f'width="{frame.width}" height="{frame.height}" {FONT} '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{body}</svg>'
    )


def _axes(
    frame: _Frame,
    x_ticks: Sequence[float],
    y_ticks: Sequence[float],
    sx: Callable[[float], float],
    sy: Callable[[float], float],
    x_label: str,
    y_label: str,
    x_tick_format: Callable[[float], str] = fmt,
    y_tick_format: Callable[[float], str] = fmt,
) -> None:
    parts = frame.parts
    x0, x1 = frame.left, frame.width - frame.right
    y0, y1 = frame.height - frame.bottom, frame.top
    for tick in y_ticks:
        y = sy(tick)
        parts.append(f'<line x1="{x0}" x2="{x1}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(x0 - 6, y + 4, y_tick_format(tick), size=10, anchor="end"))
    for tick in x_ticks:
        x = sx(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y0}" y2="{y0 + 4}" stroke="{MUTED}"/>')
        parts.append(_text(x, y0 + 16, x_tick_format(tick), size=10))
    parts.append(f'<line x1="{x0}" x2="{x1}" y1="{y0}" y2="{y0}" stroke="{MUTED}"/>')
    parts.append(f'<line x1="{x0}" x2="{x0}" y1="{y0}" y2="{y1}" stroke="{MUTED}"/>')
    parts.append(_text((x0 + x1) / 2, frame.height - 6, x_label, size=11))
    cy = (y0 + y1) / 2
    parts.append(
        f'<text x="14" y="{cy:.1f}" font-size="11" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 14 {cy:.1f})">{escape(y_label)}</text>'
    )


def _legend_layout(names: Sequence[str], left: float, right_edge: float) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, wrapping to a new row when one would not fit."""
    layout, x, row = [], left, 0
    for name in names:
        needed = 28 + 6.2 * len(name)
        if x > left and x + needed > right_edge:
            x, row = left, row + 1
        layout.append((x, row))
        x += needed
    return layout


def _legend(frame: _Frame, items: Sequence[tuple[str, str, bool]], *, y: float = 14) -> None:
    layout = _legend_layout([name for name, _, _ in items], frame.left, frame.width - 4)
    for (name, swatch, dashed), (x, row) in zip(items, layout, strict=True):
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        line_y = y + 14 * row
        frame.parts.append(
            f'<line x1="{x}" x2="{x + 16}" y1="{line_y - 4}" y2="{line_y - 4}" '
            f'stroke="{swatch}" stroke-width="2.5"{dash}/>'
        )
        frame.parts.append(_text(x + 20, line_y, name, size=10, anchor="start"))
