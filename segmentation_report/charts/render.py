"""Vega-Lite charts (altair) rendered to static, self-contained SVG by vl-convert.

Every chart of the report goes through :func:`to_svg`: one theme (palette, font, no
label truncation), and the root ``<svg>`` tagged for the browser test with its kind
and how many data marks it draws. Layers that draw data are named ``data_*``; vega
puts that name on their group (``g.data_*_marks``) so the test can count them.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from typing import Any

import altair as alt
import vl_convert

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
# vl-convert measures text with this font and Chromium draws it with the same one (the
# Debian font every machine with Chromium has), so a label's box is where vega put it.
FONT = "DejaVu Sans"


def color(index: int) -> str:
    """Categorical colour for series ``index`` (cycles after ten)."""
    return PALETTE[index % len(PALETTE)]


def _themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # labelLimit 0: vega would otherwise cut long labels to 180px with an ellipsis
    text = {"labelFont": FONT, "titleFont": FONT, "labelColor": INK, "titleColor": INK}
    return (
        chart.configure(font=FONT, background="white", padding=6, autosize={"type": "pad"})
        .configure_view(stroke=None)
        .configure_axis(
            labelLimit=0,
            titleLimit=0,
            labelOverlap=False,
            labelFontSize=10.5,
            titleFontSize=11,
            gridColor=GRID,
            domainColor=MUTED,
            tickColor=MUTED,
            **text,
        )
        .configure_axisQuantitative(tickCount=5)  # labels never overlap, none is hidden
        .configure_legend(labelLimit=0, titleLimit=0, labelFontSize=10.5, titleFontSize=11, **text)
    )


def to_svg(chart: alt.TopLevelMixin, *, kind: str, title: str, marks: int) -> str:
    """The chart as one inline ``<svg class="chart">`` carrying its kind and mark count."""
    spec: dict[str, Any] = _themed(chart).to_dict()
    svg = _own_ids(_rounded(vl_convert.vegalite_to_svg(spec)), [title, spec])
    head, sep, body = svg.partition(">")
    head = head.replace('class="marks"', "", 1)
    label = escape(title)
    return (
        f'{head} class="chart" data-chart="{kind}" data-marks="{marks}" role="img" '
        f'aria-label="{label}"{sep}<title>{label}</title>{body}'
    )


def _rounded(svg: str) -> str:
    """Positions to a hundredth of a pixel: vega writes 14 decimals a mark."""
    return re.sub(
        r"translate\((-?[\d.]+),(-?[\d.]+)\)",
        lambda m: f"translate({float(m.group(1)):.2f},{float(m.group(2)):.2f})",
        svg,
    )


def _own_ids(svg: str, key: Any) -> str:
    """Rename the SVG's ids (gradients, clip paths) after the chart (title and spec).

    vl-convert numbers them with a counter that runs on across charts, so the same chart
    would not give the same bytes twice, and two inline charts could share an id.
    """
    prefix = "c" + hashlib.sha1(json.dumps(key, sort_keys=True).encode()).hexdigest()[:10]
    names = {
        old: f"{prefix}-{n}"
        for n, old in enumerate(dict.fromkeys(re.findall(r'id="([^"]+)"', svg)))
    }
    if not names:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, names)) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + names[m.group(2)], svg)


def data(rows: list[dict[str, Any]]) -> alt.Data:
    """Inline values: the spec (and so the SVG) depends on the rows alone."""
    return alt.Data(values=rows)
