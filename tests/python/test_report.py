"""The HTML report: rendered from the demo build's marts and checked in real headless Chromium.

The screenshot of the report's first page is saved to tests/artifacts/report_first_page.png
(ignored by git) on every run, for people to look at.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from dbt_runner import PROJECT_DIR, DbtResult

from segmentation_report import render_report

pytestmark = pytest.mark.dbt

ARTIFACTS_DIR = PROJECT_DIR / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS_DIR / "report_first_page.png"
INSTALL_HINT = (
    "Headless Chromium is needed to check the report in a real browser. Install it with\n"
    "    sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n"
    "(Debian/Ubuntu; .ci/run does this on CI), or point CHROMIUM_PATH at a Chromium or "
    "Chrome binary."
)


def chromium_binary() -> str:
    """Path of a Chromium (or Chrome) binary, or fail saying how to install one."""
    candidates = [os.environ.get("CHROMIUM_PATH", "")]
    candidates += ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    for candidate in candidates:
        if candidate and (path := shutil.which(candidate)):
            return path
    pytest.fail(f"Chromium not found. {INSTALL_HINT}", pytrace=False)


def run_chromium(page: Path, profile_dir: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        chromium_binary(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
        "--window-size=1280,1600",
        *args,
        page.resolve().as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed


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
    completed = run_chromium(
        report, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom"
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
        "data-quality",
        "manifest",
    ]:
        assert rendered.sections[key]["data-available"] == "true", key


def test_first_page_screenshot_is_saved(report: Path, tmp_path: Path) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    run_chromium(report, tmp_path / "profile", f"--screenshot={SCREENSHOT}")
    header = SCREENSHOT.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1280, 1600)
    assert SCREENSHOT.stat().st_size > 50_000  # a blank page compresses to a few kB
    print(f"report screenshot: {SCREENSHOT}")


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
