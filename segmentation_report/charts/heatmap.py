"""The heatmap, with its diverging and sequential colour scales."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from segmentation_report.charts.svg import (
    INK,
    MUTED,
    _Frame,
    _svg,
    _text,
)


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
