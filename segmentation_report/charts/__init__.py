"""Small, dependency-free SVG charts for the HTML report.

Every function takes plain Python numbers (already read from a mart) and returns one
``<svg class="chart">`` string: nothing is computed here beyond placing marks on axes.
Each chart carries ``data-chart`` (its kind) and ``data-marks`` (how many data marks
it drew), so a browser test can check that every chart is present and not empty.
"""

from segmentation_report.charts.bars import bar_chart, interval_chart
from segmentation_report.charts.heatmap import heatmap
from segmentation_report.charts.lines import line_chart, scatter_chart
from segmentation_report.charts.svg import IntervalRow, Series, color, fmt, nice_ticks

__all__ = [
    "IntervalRow",
    "Series",
    "bar_chart",
    "color",
    "fmt",
    "heatmap",
    "interval_chart",
    "line_chart",
    "nice_ticks",
    "scatter_chart",
]
