"""The segmentation audit report: one self-contained HTML file rendered from the public
marts of a DuckDB file. It reads marts only and imports nothing of the ML library."""

from segmentation_report.assemble import build_context, render_report

__all__ = ["build_context", "render_report"]
