"""Headless Chromium for the report tests: run it on a page, and measure a page's layout.

The layout check (layout_check.js) is injected into a copy of the page, Chromium lays it
out and runs it, and --dump-dom hands back what it found: every chart label, table and
text block that lies outside its container or the page, and every box that hides content.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

INSTALL_HINT = (
    "Headless Chromium is needed to check the report in a real browser. Install it with\n"
    "    sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n"
    "(Debian/Ubuntu; .ci/run does this on CI), or point CHROMIUM_PATH at a Chromium or "
    "Chrome binary."
)
LAYOUT_CHECK = Path(__file__).with_name("layout_check.js")
# A4 (210 mm) less the report's 12 mm @page margins, at 96 px per inch
A4_CONTENT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)


def chromium_binary() -> str:
    """Path of a Chromium (or Chrome) binary, or fail saying how to install one."""
    candidates = [os.environ.get("CHROMIUM_PATH", "")]
    candidates += ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    for candidate in candidates:
        if candidate and (path := shutil.which(candidate)):
            return path
    pytest.fail(f"Chromium not found. {INSTALL_HINT}", pytrace=False)


def run_chromium(
    page: Path, profile_dir: Path, *args: str, width: int = 1280, height: int = 1600
) -> subprocess.CompletedProcess:
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
        f"--window-size={width},{height}",
        *args,
        page.resolve().as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed


def variant(page: Path, target: Path, *, print_media: bool = False, style: str = "") -> Path:
    """A copy of ``page``: with its print rules applied on screen, and/or extra CSS."""
    html = page.read_text(encoding="utf-8")
    if print_media:
        html = html.replace("@media print", "@media all")
    if style:
        html = html.replace("</head>", f"<style>{style}</style></head>", 1)
    target.write_text(html, encoding="utf-8")
    return target


class _BodyAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.layout = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.layout = dict(attrs).get("data-layout") or ""


def measure_layout(page: Path, work: Path, *, width: int = 1280) -> dict:
    """Lay ``page`` out at ``width`` px with every <details> open; what the check found."""
    html = page.read_text(encoding="utf-8")
    script = f"<script>{LAYOUT_CHECK.read_text(encoding='utf-8')}</script>"
    checked = work / f"layout-{width}-{page.name}"
    checked.write_text(html.replace("</body>", script + "</body>", 1), encoding="utf-8")
    completed = run_chromium(
        checked, work / "profile", "--virtual-time-budget=5000", "--dump-dom", width=width
    )
    parser = _BodyAttributes()
    parser.feed(completed.stdout)
    assert parser.layout, "the layout check did not run"
    return json.loads(parser.layout)
