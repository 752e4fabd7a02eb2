"""The readers' report: one static, self-contained HTML page per sample period, built only from
the published DuckDB file (``build.build_report``). ``render`` and ``charts`` are pure (data in,
markup out); ``profiles`` writes the plain-English group profiles.

Where things are: ``queries`` (the pooling SQL) and ``loader`` read the published file into
``report_data.ReportData``; ``render`` lays the page out from the ``section_*`` modules (helped by
``outcomes_by_era``, ``labels`` and ``html_parts``); ``charts`` gathers the SVG builders
(``chart_line``, ``chart_bars``, ``chart_forest``, drawn with ``chart_svg`` and ``formatting``);
``profiles`` writes from ``profile_facts`` and ``profile_eras``.
"""

from .build import build_report, load_report_data
from .render import ReportData, render_report

__all__ = ["build_report", "load_report_data", "render_report", "ReportData"]
