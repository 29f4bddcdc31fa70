"""The segmentation audit report: one self-contained HTML file rendered from the marts."""

from customer_segmentation.report.build import build_context, render_report

__all__ = ["build_context", "render_report"]
