"""Small, dependency-free SVG charts for the HTML report.

Every function takes plain Python numbers (already read from a mart) and returns one
``<svg class="chart">`` string: nothing is computed here beyond placing marks on axes.
Each chart carries ``data-chart`` (its kind) and ``data-marks`` (how many data marks
it drew), so a browser test can check that every chart is present and not empty.
"""

from __future__ import annotations

import itertools
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


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    marked_x: float | None = None,
    marked_label: str = "",
    diagonal: bool = False,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    x_ticks: Sequence[float] | None = None,
    width: int = 340,
    height: int = 230,
    y_tick_format: Callable[[float], str] = fmt,
    x_tick_format: Callable[[float], str] = fmt,
) -> str:
    """Lines (with points) on shared axes; an optional vertical marker and y = x diagonal."""
    legend = len(series) > 1
    rows = 1 + max(
        (r for _, r in _legend_layout([s.name for s in series], 54, width - 4)), default=0
    )
    top = 12 + 14 * rows if legend else (24 if marked_x is not None else 14)
    frame = _Frame(width, height, left=54, right=14, top=top, bottom=38)
    xs = [x for s in series for x in s.xs]
    ys = [y for s in series for y in s.ys if y is not None]
    if not xs or not ys:
        frame.parts.append(_text(width / 2, height / 2, "no data", fill=MUTED))
        return _svg(frame, "line", title)
    x_lo, x_hi = x_range or (min(xs), max(xs))
    if y_range:
        y_lo, y_hi = y_range
        y_ticks = nice_ticks(y_lo, y_hi)
    else:
        y_ticks = nice_ticks(min(ys), max(ys))
        y_lo, y_hi = y_ticks[0], y_ticks[-1]
    sx = _linear(x_lo, x_hi, frame.left, width - frame.right)
    sy = _linear(y_lo, y_hi, height - frame.bottom, frame.top)
    ticks = list(x_ticks) if x_ticks is not None else nice_ticks(x_lo, x_hi)
    ticks = [t for t in ticks if x_lo - 1e-9 <= t <= x_hi + 1e-9]
    _axes(frame, ticks, y_ticks, sx, sy, x_label, y_label, x_tick_format, y_tick_format)
    if diagonal:
        lo, hi = max(x_lo, y_lo), min(x_hi, y_hi)
        frame.parts.append(
            f'<line x1="{sx(lo):.1f}" y1="{sy(lo):.1f}" x2="{sx(hi):.1f}" y2="{sy(hi):.1f}" '
            f'stroke="{MUTED}" stroke-dasharray="4 4"/>'
        )
    if marked_x is not None:
        x = sx(marked_x)
        frame.parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" y2="{height - frame.bottom}" '
            f'stroke="{FLAG}" stroke-width="1.5" stroke-dasharray="3 3" class="marker"/>'
        )
        if marked_label:
            frame.parts.append(
                _text(x, frame.top - 6, marked_label, size=10, anchor="middle", fill=FLAG)
            )
    for s in series:
        pairs = [(x, y) for x, y in zip(s.xs, s.ys, strict=True) if y is not None]
        if not pairs:
            continue
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pairs)
        frame.parts.append(
            f'<polyline class="mark" points="{path}" fill="none" stroke="{s.color}" '
            f'stroke-width="2"{dash}/>'
        )
        frame.marks += 1
        if s.points:
            for x, y in pairs:
                emphasis = marked_x is not None and x == marked_x
                radius = 4.5 if emphasis else 2.8
                stroke = f' stroke="{FLAG}" stroke-width="2"' if emphasis else ""
                frame.parts.append(
                    f'<circle class="mark" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{radius}" '
                    f'fill="{s.color}"{stroke}><title>{escape(s.name)}: {fmt(x)}, '
                    f"{fmt(y)}</title></circle>"
                )
                frame.marks += 1
    if legend:
        _legend(frame, [(s.name, s.color, s.dashed) for s in series])
    return _svg(frame, "line", title)


def scatter_chart(
    points: Sequence[tuple[float, float, int]],
    group_names: Sequence[str],
    centroids: Sequence[tuple[float, float, int]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 720,
    height: int = 440,
) -> str:
    """Customers as small dots coloured by segment; centroids as labelled diamonds."""
    frame = _Frame(width, height, left=54, right=170, top=14, bottom=40)
    xs = [p[0] for p in points] + [c[0] for c in centroids]
    ys = [p[1] for p in points] + [c[1] for c in centroids]
    if not xs:
        frame.parts.append(_text(width / 2, height / 2, "no data", fill=MUTED))
        return _svg(frame, "scatter", title)
    x_ticks, y_ticks = nice_ticks(min(xs), max(xs)), nice_ticks(min(ys), max(ys))
    sx = _linear(x_ticks[0], x_ticks[-1], frame.left, width - frame.right)
    sy = _linear(y_ticks[0], y_ticks[-1], height - frame.bottom, frame.top)
    _axes(frame, x_ticks, y_ticks, sx, sy, x_label, y_label)
    for x, y, group in points:
        frame.parts.append(
            f'<circle class="mark" cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.2" '
            f'fill="{color(group)}" fill-opacity="0.45"/>'
        )
        frame.marks += 1
    for x, y, group in centroids:
        cx, cy = sx(x), sy(y)
        frame.parts.append(
            f'<path class="mark centroid" d="M{cx:.1f},{cy - 8:.1f} L{cx + 8:.1f},{cy:.1f} '
            f'L{cx:.1f},{cy + 8:.1f} L{cx - 8:.1f},{cy:.1f} Z" fill="{color(group)}" '
            f'stroke="#fff" stroke-width="2"><title>{escape(group_names[group])} centroid'
            f"</title></path>"
        )
        frame.marks += 1
    legend_x = width - frame.right + 14
    for index, name in enumerate(group_names):
        y = frame.top + 12 + index * 20
        frame.parts.append(f'<circle cx="{legend_x}" cy="{y - 4}" r="5" fill="{color(index)}"/>')
        frame.parts.append(_text(legend_x + 10, y, name, size=11, anchor="start"))
    return _svg(frame, "scatter", title)


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into at most two lines of about ``width`` characters."""
    if len(label) <= width or " " not in label:
        return [label]
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1 :]]


def _diverging(value: float, limit: float) -> str:
    """Blue (below) - white - orange (above) for a z-score clipped at +/- limit."""
    t = max(-1.0, min(1.0, value / limit)) if limit else 0.0
    low, high = (33, 102, 172), (214, 96, 77)
    end = high if t > 0 else low
    mix = [round(255 + (c - 255) * abs(t)) for c in end]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _sequential(value: float, maximum: float) -> str:
    t = value / maximum if maximum else 0.0
    start, end = (244, 247, 251), (8, 81, 156)
    mix = [round(s + (e - s) * t) for s, e in zip(start, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    diverging: bool = True,
    cell_text: Sequence[Sequence[str]] | None = None,
    cell_width: int = 46,
    cell_height: int = 30,
    row_label_width: int = 190,
    column_label_height: int = 130,
    x_label: str = "",
    y_label: str = "",
    limit: float | None = None,
    column_label_angle: int = -50,
) -> str:
    """A grid of coloured cells with their value written in (z-scores or counts).

    ``column_label_angle`` 0 writes column labels horizontally on up to two lines.
    """
    width = row_label_width + cell_width * len(column_labels) + 16
    if column_label_angle:
        width += int(6 * max((len(label) for label in column_labels), default=0) * 0.65)
    height = column_label_height + cell_height * len(row_labels) + (28 if x_label else 10)
    frame = _Frame(
        width, height, left=row_label_width, right=16, top=column_label_height, bottom=10
    )
    present = [abs(v) for row in values for v in row if v is not None]
    scale = limit or (max(present) if present else 1.0)
    for j, label in enumerate(column_labels):
        x = row_label_width + (j + 0.5) * cell_width
        y = column_label_height - 8
        if column_label_angle:
            frame.parts.append(
                f'<text x="{x:.1f}" y="{y}" font-size="10.5" text-anchor="start" fill="{INK}" '
                f'transform="rotate({column_label_angle} {x:.1f} {y})">{escape(label)}</text>'
            )
            continue
        lines = _wrap(label, max(int(cell_width / 6.2), 8))
        for k, line in enumerate(lines):
            frame.parts.append(
                _text(x, y - 13 * (len(lines) - 1 - k), line, size=11, anchor="middle")
            )
    for i, label in enumerate(row_labels):
        y = column_label_height + i * cell_height
        frame.parts.append(
            _text(row_label_width - 8, y + cell_height / 2 + 4, label, size=11, anchor="end")
        )
        for j, value in enumerate(values[i]):
            x = row_label_width + j * cell_width
            if value is None:
                fill, text, ink = "#f5f5f5", "\u2013", MUTED
            else:
                fill = _diverging(value, scale) if diverging else _sequential(value, scale)
                strong = abs(value) / scale > 0.55 if scale else False
                ink = "#ffffff" if strong else INK
                text = cell_text[i][j] if cell_text else f"{value:+.2f}"
                frame.marks += 1
            frame.parts.append(
                f'<rect class="{"" if value is None else "mark"}" x="{x}" y="{y}" '
                f'width="{cell_width - 2}" '
                f'height="{cell_height - 2}" rx="3" fill="{fill}"><title>{escape(label)} · '
                f"{escape(column_labels[j])}: {escape(text)}</title></rect>"
            )
            frame.parts.append(
                f'<text x="{x + (cell_width - 2) / 2:.1f}" y="{y + cell_height / 2 + 3:.1f}" '
                f'font-size="10" text-anchor="middle" fill="{ink}">{escape(text)}</text>'
            )
    if x_label:
        frame.parts.append(
            _text(row_label_width + cell_width * len(column_labels) / 2, height - 8, x_label)
        )
    if y_label:
        frame.parts.append(_text(12, column_label_height - 8, y_label, size=11, anchor="start"))
    return _svg(frame, "heatmap", title)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    title: str,
    value_format: Callable[[float], str] = fmt,
    x_label: str = "",
    label_width: int = 190,
    width: int = 640,
    bar_height: int = 14,
    reference: float | None = None,
    reference_label: str = "",
) -> str:
    """Horizontal grouped bars: one group per category, one bar per series."""
    group_height = bar_height * len(series) + 10
    legend = len(series) > 1
    rows = 1 + max(
        (r for _, r in _legend_layout([s[0] for s in series], label_width, width - 4)), default=0
    )
    top = 12 + 14 * rows if legend else 10
    height = top + group_height * len(categories) + 40
    frame = _Frame(width, height, left=label_width, right=60, top=top, bottom=40)
    values = [v for _, vals, _ in series for v in vals if v is not None]
    if reference is not None:
        values.append(reference)
    lo = min([0.0, *values]) if values else 0.0
    hi = max([0.0, *values]) if values else 1.0
    ticks = nice_ticks(lo, hi)
    sx = _linear(ticks[0], ticks[-1], label_width, width - frame.right)
    y_axis_bottom = height - frame.bottom
    for tick in ticks:
        x = sx(tick)
        frame.parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{y_axis_bottom}" stroke="{GRID}"/>'
        )
        frame.parts.append(_text(x, y_axis_bottom + 14, value_format(tick), size=10))
    zero = sx(0.0)
    for i, category in enumerate(categories):
        y0 = top + i * group_height
        frame.parts.append(
            _text(label_width - 8, y0 + group_height / 2 + 2, category, size=11, anchor="end")
        )
        for k, (name, vals, swatch) in enumerate(series):
            value = vals[i]
            if value is None:
                continue
            y = y0 + 4 + k * bar_height
            x, w = (zero, sx(value) - zero) if value >= 0 else (sx(value), zero - sx(value))
            frame.parts.append(
                f'<rect class="mark" x="{x:.1f}" y="{y}" width="{max(w, 0.5):.1f}" '
                f'height="{bar_height - 2}" fill="{swatch}"><title>{escape(category)} · '
                f"{escape(name)}: {value_format(value)}</title></rect>"
            )
            frame.marks += 1
            if bar_height < 12:
                continue  # too thin to label legibly; the tooltip has the value
            anchor_x = sx(value) + (4 if value >= 0 else -4)
            frame.parts.append(
                _text(
                    anchor_x,
                    y + bar_height - 4,
                    value_format(value),
                    size=10,
                    anchor="start" if value >= 0 else "end",
                    fill=MUTED,
                )
            )
    frame.parts.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top}" y2="{y_axis_bottom}" stroke="{MUTED}"/>'
    )
    if reference is not None:
        x = sx(reference)
        frame.parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{y_axis_bottom}" stroke="{FLAG}" '
            f'stroke-dasharray="4 3"/>'
        )
        if reference_label:
            frame.parts.append(
                _text(x + 4, y_axis_bottom - 4, reference_label, size=10, anchor="start", fill=FLAG)
            )
    if x_label:
        frame.parts.append(_text((label_width + width - frame.right) / 2, height - 6, x_label))
    if legend:
        _legend(frame, [(name, swatch, False) for name, _, swatch in series])
    return _svg(frame, "bar", title)


def interval_chart(
    rows: Sequence[IntervalRow],
    *,
    title: str,
    x_label: str,
    x_range: tuple[float, float] | None = None,
    label_width: int = 230,
    width: int = 660,
    row_height: int = 18,
    value_format: Callable[[float], str] = fmt,
) -> str:
    """Dot (estimate) and whisker (interval) per row, a reference tick, flagged rows in red."""
    top = 12
    group_gaps = sum(1 for a, b in itertools.pairwise(rows) if a.group != b.group)
    height = top + row_height * len(rows) + 8 * group_gaps + 44
    frame = _Frame(width, height, left=label_width, right=80, top=top, bottom=40)
    values = [v for r in rows for v in (r.estimate, r.lower, r.upper, r.reference) if v is not None]
    if x_range:
        lo, hi = x_range
    else:
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    ticks = nice_ticks(lo, hi)
    sx = _linear(ticks[0], ticks[-1], label_width, width - frame.right)
    bottom = height - frame.bottom
    for tick in ticks:
        x = sx(tick)
        frame.parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>'
        )
        frame.parts.append(_text(x, bottom + 14, value_format(tick), size=10))
    y = top
    previous_group = rows[0].group if rows else ""
    for row in rows:
        if row.group != previous_group:
            y += 8
            frame.parts.append(
                f'<line x1="8" x2="{width - 8}" y1="{y - 4}" y2="{y - 4}" stroke="{GRID}"/>'
            )
            previous_group = row.group
        cy = y + row_height / 2
        ink = FLAG if row.flagged else INK
        frame.parts.append(
            _text(label_width - 8, cy + 4, row.label, size=10.5, anchor="end", fill=ink)
        )
        if row.reference is not None:
            rx = sx(row.reference)
            frame.parts.append(
                f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{cy - 7:.1f}" y2="{cy + 7:.1f}" '
                f'stroke="{MUTED}" stroke-width="2"/>'
            )
        if row.lower is not None and row.upper is not None:
            frame.parts.append(
                f'<line x1="{sx(row.lower):.1f}" x2="{sx(row.upper):.1f}" y1="{cy:.1f}" '
                f'y2="{cy:.1f}" stroke="{ink}" stroke-width="1.5"/>'
            )
        if row.estimate is not None:
            frame.parts.append(
                f'<circle class="mark" cx="{sx(row.estimate):.1f}" cy="{cy:.1f}" r="4" '
                f'fill="{FLAG if row.flagged else PALETTE[0]}"><title>{escape(row.label)}: '
                f"{value_format(row.estimate)} [{value_format(row.lower)}, "
                f"{value_format(row.upper)}]</title></circle>"
            )
            frame.marks += 1
        if row.note:
            frame.parts.append(
                _text(width - frame.right + 6, cy + 4, row.note, size=10, anchor="start", fill=ink)
            )
        y += row_height
    frame.parts.append(_text((label_width + width - frame.right) / 2, height - 6, x_label))
    return _svg(frame, "interval", title)
