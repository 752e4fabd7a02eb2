"""The readers' report: one static, self-contained HTML page per sample period, built only from
the published DuckDB file (``build.build_report``). ``render`` and ``charts`` are pure (data in,
markup out); ``profiles`` writes the plain-English group profiles."""

from .build import build_report, load_report_data
from .render import ReportData, render_report

__all__ = ["build_report", "load_report_data", "render_report", "ReportData"]
