"""The HTML report: rendered from the demo build's marts and checked in real headless Chromium.

Screenshots of the report's first page and of its fairness section are saved to
tests/artifacts/ (ignored by git) on every run, for people to look at.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pypdf
import pytest
from dbt_runner import PROJECT_DIR, DbtResult
from report_browser import A4_CONTENT_WIDTH, measure_layout, run_chromium, variant

from segmentation_report import render_report

pytestmark = pytest.mark.dbt

ARTIFACTS_DIR = PROJECT_DIR / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS_DIR / "report_first_page.png"
FAIRNESS_SCREENSHOT = ARTIFACTS_DIR / "report_fairness.png"


class ChartCollector(HTMLParser):
    """The attributes of every <svg class="chart"> and <section> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[dict[str, str]] = []
        self.sections: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "svg" and "chart" in attributes.get("class", "").split():
            self.charts.append(attributes)
        if tag == "section" and "data-section" in attributes:
            self.sections[attributes["data-section"]] = attributes


def collect(html: str) -> ChartCollector:
    collector = ChartCollector()
    collector.feed(html)
    return collector


@pytest.fixture(scope="module")
def report(demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_report(demo_build.published, tmp_path_factory.mktemp("report") / "report.html")


def test_every_chart_renders_non_empty_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    static = collect(report.read_text())
    assert len(static.charts) >= 10
    # the appendix open, so that its charts are laid out too
    opened = tmp_path / "open.html"
    opened.write_text(report.read_text().replace('<details class="appendix"', "<details open"))
    completed = run_chromium(
        opened, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom"
    )
    rendered = collect(completed.stdout)
    # the page's script wrote each chart's laid-out size and its drawn marks into the DOM
    assert len(rendered.charts) == len(static.charts)
    for before, after in zip(static.charts, rendered.charts, strict=True):
        label = after.get("aria-label")
        assert int(after["data-rendered-width"]) > 100, label
        assert int(after["data-rendered-height"]) > 100, label
        assert int(after["data-marks"]) > 0, label
        assert after["data-rendered-marks"] == before["data-marks"], label
    kinds = {c["data-chart"] for c in rendered.charts}
    assert {"bar", "scatter", "heatmap", "line", "interval"} <= kinds
    assert rendered.sections["summary"]
    for key in [
        "segments",
        "recommendations",
        "segment-map",
        "profiles",
        "rfm",
        "k-selection",
        "propensity",
        "fairness",
        "propensity-fairness",
        "data-quality",
        "manifest",
        "appendix",
    ]:
        assert rendered.sections[key]["data-available"] == "true", key


def test_first_page_screenshot_is_saved(report: Path, tmp_path: Path) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    run_chromium(report, tmp_path / "profile", f"--screenshot={SCREENSHOT}")
    assert _screenshot_header(SCREENSHOT) == (1280, 1600)
    assert SCREENSHOT.stat().st_size > 50_000  # a blank page compresses to a few kB
    print(f"report screenshot: {SCREENSHOT}")


def _screenshot_header(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_fairness_section_screenshot_is_saved(report: Path, tmp_path: Path) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    FAIRNESS_SCREENSHOT.unlink(missing_ok=True)
    # the same page with everything above the fairness section hidden
    page = variant(
        report,
        tmp_path / "fairness.html",
        style="header.masthead, nav.toc, main > section:not(#fairness) { display: none; }",
    )
    run_chromium(page, tmp_path / "profile", f"--screenshot={FAIRNESS_SCREENSHOT}")
    assert _screenshot_header(FAIRNESS_SCREENSHOT) == (1280, 1600)
    assert FAIRNESS_SCREENSHOT.stat().st_size > 30_000
    print(f"fairness screenshot: {FAIRNESS_SCREENSHOT}")


def _problems(layout: dict) -> str:
    return "\n".join(str(problem) for problem in layout["problems"][:20])


def test_nothing_is_clipped_on_screen(report: Path, tmp_path: Path) -> None:
    layout = measure_layout(report, tmp_path)
    assert layout["checked"]["svgText"] > 500 and layout["checked"]["tableCells"] > 1000
    assert not layout["problems"], _problems(layout)


def test_nothing_is_clipped_in_the_a4_print_layout(report: Path, tmp_path: Path) -> None:
    # the print rules applied on screen at the width of an A4 page's content
    printed = variant(report, tmp_path / "print.html", print_media=True)
    layout = measure_layout(printed, tmp_path, width=A4_CONTENT_WIDTH)
    assert layout["page"] == A4_CONTENT_WIDTH
    assert layout["checked"]["svgText"] > 500 and layout["checked"]["tableCells"] > 1000
    assert not layout["problems"], _problems(layout)


class _Headings(HTMLParser):
    """The text of every table header cell, caption and section title of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "h2"):
            self._open = tag
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[-1] += data


def test_pdf_keeps_every_column(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    run_chromium(report, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    pages = pypdf.PdfReader(pdf).pages
    print(f"report PDF: {len(pages)} pages")
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))
    headings = _Headings()
    headings.feed(report.read_text())
    assert len(headings.texts) > 100
    # every column header of every table (the appendix printed open) and every section
    missing = [h for h in headings.texts if re.sub(r"\s+", "", h) not in text]
    assert not missing, missing
    assert len(pages) < 60


def test_layout_check_catches_clipped_text(tmp_path: Path) -> None:
    """The check fails on what it is meant to catch: a label drawn past the left edge of
    its chart, a table wider than the page, a scroll box hiding a row's end."""
    page = tmp_path / "clipped.html"
    page.write_text(
        "<html><body><section id='s'>"
        "<svg class='chart' width='200' height='40'>"
        "<text x='20' y='20' text-anchor='end'>a long label losing its first letters</text>"
        "</svg><table style='width: 2000px'><tr><td>wide</td></tr></table>"
        "<div style='width: 100px; overflow: hidden'><p style='width: 400px'>hidden</p></div>"
        "</section></body></html>"
    )
    kinds = {problem["kind"] for problem in measure_layout(page, tmp_path, width=800)["problems"]}
    assert "chart label outside its chart" in kinds
    assert "table outside the page" in kinds
    assert "content wider than its box (overflow hidden)" in kinds


def test_figures_are_the_marts_figures(report: Path, demo_build: DbtResult) -> None:
    html = report.read_text()
    charts = {c["aria-label"]: c for c in collect(html).charts}
    selection = demo_build.query("select * from segment_model_selection order by k")
    chosen = selection.loc[selection.is_chosen, "k"].item()
    assert f"chosen k = {chosen}" in html
    # one line and one point per candidate k
    assert int(charts["Inertia (lower is tighter)"]["data-marks"]) == len(selection) + 1
    profiles = demo_build.query(
        "select count(*) as n from segment_feature_profiles where z_score is not null"
    ).n.item()
    assert int(charts["Feature z-scores per segment"]["data-marks"]) == profiles
    customers = demo_build.query("select count(*) as n from customer_segments").n.item()
    assert f"{customers:,}" in html
    # the map shows the customers K-Means scores and the k centroids; the customers of
    # the segment of their own (no credit account) have no map position
    placed = demo_build.query(
        "select count(*) as n from customer_segments where pca_x is not null"
    ).n.item()
    k_segments = demo_build.query(
        "select count(*) as n from segment_profiles where is_clustered"
    ).n.item()
    assert placed < customers
    assert int(charts["Segment map"]["data-marks"]) == min(placed, 4000) + k_segments
    unplaced = customers - placed
    assert f"Not on the map: {unplaced:,} in No credit account" in html
    cells = demo_build.query(
        "select count(distinct rfm_cell[:2]) as n from customer_segments where rfm_cell is not null"
    ).n.item()
    assert int(charts["RFM grid"]["data-marks"]) == cells
    for row in demo_build.query(
        "select segment_name, audience_size from segment_recommendations"
    ).itertuples():
        assert row.segment_name in html
        assert f"{row.audience_size:,}" in html


def test_fairness_leads_with_the_marts_flags(report: Path, demo_build: DbtResult) -> None:
    html = report.read_text()
    lead = html[html.index('<section id="fairness"') : html.index('<section id="data-quality"')]
    lead_tables = 0
    for mart, flags, unit, total in [
        (
            "segment_fairness",
            "is_parity_flagged or is_four_fifths_flagged",
            "group-in-segment shares",
            "shares",
        ),
        (
            "propensity_fairness",
            "is_demographic_parity_flagged or is_equal_opportunity_flagged "
            "or is_equalized_odds_flagged or is_predictive_parity_flagged",
            "groups",
            "groups",
        ),
    ]:
        counts = demo_build.query(
            f"select attribute_name, count(*) as measured, count(*) filter ({flags}) as flagged "
            f"from {mart} where not is_suppressed group by 1"
        )
        for row in counts.itertuples():
            sentence = (
                f"{row.attribute_name}: {row.flagged:,} of {row.measured:,} {unit} flagged"
                if row.flagged
                else f"{row.attribute_name}: none of {row.measured:,} {unit} flagged"
            )
            assert sentence in lead, sentence
        flagged = int(counts.flagged.sum())
        # a few rows lead, every one is in the appendix; nothing flagged, no table
        if flagged:
            assert f"What is flagged: {min(flagged, 8)} of {flagged:,} flagged {total}" in lead
            lead_tables += 1
        else:
            assert f"flagged {total}" not in lead
    # the full tables are in the appendix: one table of flagged rows per section leads
    assert lead.count("<table") == lead_tables


def test_report_is_reproducible(report: Path, demo_build: DbtResult, tmp_path: Path) -> None:
    again = render_report(demo_build.published, tmp_path / "again.html")
    assert again.read_bytes() == report.read_bytes()


def test_absent_marts_are_named_not_fatal(demo_build: DbtResult, tmp_path: Path) -> None:
    # a build with the RFM family off and no profiles mart, as far as the report can tell
    database = tmp_path / "partial.duckdb"
    shutil.copy(demo_build.published, database)
    with duckdb.connect(str(database)) as connection:
        connection.execute("update marts.customer_segments set rfm_cell = null, rfm_segment = null")
        connection.execute("drop table marts.segment_feature_profiles")
    html = render_report(database, tmp_path / "partial.html").read_text()
    sections = collect(html).sections
    assert sections["rfm"]["data-available"] == "false"
    assert sections["profiles"]["data-available"] == "false"
    assert sections["segments"]["data-available"] == "true"
    assert "the RFM feature family is off" in html
    assert "missing: segment_feature_profiles" in html


def test_missing_database_says_what_to_do(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            str(Path(sys.executable)),
            "-m",
            "segmentation_report",
            "--database",
            str(tmp_path / "nothing.duckdb"),
            "--output",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert completed.returncode == 1
    assert "run `make build`" in completed.stderr
    assert not (tmp_path / "r.html").exists()
