"""The charts: inline SVG from vl-convert, whole labels, their marks counted, same bytes."""

from __future__ import annotations

import re

from segmentation_report import charts

LONG = "a category label long enough for vega's default limit to cut it short"


def test_bar_chart_keeps_long_labels_whole_and_counts_its_bars() -> None:
    svg = charts.bar_chart(
        [LONG, "b"], [("share", [0.2, None], charts.color(0))], title="Bars", x_label="share"
    )
    assert svg.startswith("<svg ") and 'class="chart"' in svg
    assert 'data-chart="bar"' in svg and 'data-marks="1"' in svg
    assert f">{LONG}</text>" in svg and "\u2026" not in svg
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org", "")


def test_charts_are_the_same_bytes_every_time_with_ids_of_their_own() -> None:
    def draw(title: str) -> str:
        return charts.heatmap(["r1", "r2"], ["c1"], [[1.0], [None]], title=title)

    first, again, other = draw("One"), draw("One"), draw("Two")
    assert first == again
    assert 'data-marks="1"' in first  # the empty cell is not a mark
    ids = set(re.findall(r'id="([^"]+)"', first))
    assert ids and not ids & set(re.findall(r'id="([^"]+)"', other))


def test_interval_and_line_charts_count_their_data_marks() -> None:
    rows = [
        charts.IntervalRow("group a", 0.2, 0.1, 0.3, 0.25, flagged=True, note="-5.0 pts"),
        charts.IntervalRow("group b", None),
    ]
    assert 'data-marks="1"' in charts.interval_chart(rows, title="I", x_label="share")
    line = charts.line_chart(
        [charts.Series("s", [1, 2, 3], [0.5, None, 0.7])], title="L", x_label="x", y_label="y"
    )
    assert 'data-marks="3"' in line  # one line and its two points
