"""Bar and interval charts."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from html import escape

from segmentation_report.charts.svg import (
    FLAG,
    GRID,
    INK,
    MUTED,
    PALETTE,
    IntervalRow,
    _Frame,
    _legend,
    _legend_layout,
    _linear,
    _svg,
    _text,
    fmt,
    nice_ticks,
)


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
