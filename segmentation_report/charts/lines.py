"""Line and scatter charts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from segmentation_report.charts.svg import (
    FLAG,
    MUTED,
    Series,
    _axes,
    _Frame,
    _legend,
    _legend_layout,
    _linear,
    _svg,
    _text,
    color,
    fmt,
    nice_ticks,
)


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
