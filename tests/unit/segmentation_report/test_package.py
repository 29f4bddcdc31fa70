"""The report is a package of its own: it reads marts only, never the ML library."""

from __future__ import annotations

import ast
import subprocess
import sys

from dbt_runner import PROJECT_DIR

PACKAGE = PROJECT_DIR / "segmentation_report"


def test_no_module_of_the_report_imports_the_ml_library() -> None:
    imported = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {(path.name, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
    assert not [pair for pair in imported if pair[1].split(".")[0] == "customer_segmentation"]


def test_rendering_loads_no_ml_library(tmp_path) -> None:
    code = (
        "import sys, segmentation_report.__main__ as cli\n"
        f"cli.main(['--database', {str(tmp_path / 'none.duckdb')!r}, '--output', 'x.html'])\n"
        "assert not [m for m in sys.modules if m.startswith(('customer_segmentation', 'sklearn'))]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path, capture_output=True)
