"""The report's charts: Vega-Lite specs (altair) rendered to inline SVG by vl-convert.

Every function takes plain Python numbers (already read from a mart) and returns one
``<svg class="chart">`` string: nothing is computed here beyond encoding marks on axes.
Each chart carries ``data-chart`` (its kind) and ``data-marks`` (how many data marks
it drew), so a browser test can check that every chart is present and not empty.
"""

from segmentation_report.charts.bars import bar_chart
from segmentation_report.charts.heatmap import heatmap
from segmentation_report.charts.intervals import IntervalRow, interval_chart
from segmentation_report.charts.lines import Series, line_chart, scatter_chart
from segmentation_report.charts.render import color

__all__ = [
    "IntervalRow",
    "Series",
    "bar_chart",
    "color",
    "heatmap",
    "interval_chart",
    "line_chart",
    "scatter_chart",
]
