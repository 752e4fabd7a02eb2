"""Build the readers' HTML report from the published DuckDB file, and nothing else.

``build_report(published_db, out_dir, period)`` opens ``published.duckdb`` read-only, pools the
published pattern tables into what each chart draws (``load_report_data``), renders one page
(``render.render_report``) and writes ``out_dir/report-<period>.html`` atomically (a temporary
file in the same folder, then ``os.replace``). ``out_dir/latest.html`` is replaced too when the
period is the newest one published, so an explicit rebuild of an older period never hides the
newest report.

How the published tables are pooled into what each chart draws (the pooling rules) is set out in
``queries``; reading them into :class:`ReportData` is ``loader``'s work.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .loader import REQUIRED_TABLES, load_report_data, period_sort_key, weighted_median
from .render import render_report

__all__ = ["REQUIRED_TABLES", "build_report", "load_report_data", "period_sort_key", "safe_file_part",
           "weighted_median", "write_atomically"]


def safe_file_part(text: str) -> str:
    """A period as a file-name part: letters, digits, '.', '_' and '-' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "undated"


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) beside ``target`` and rename it over: readers see old or new, never half."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(published_db: Path, out_dir: Path, period: str | None = None) -> Path:
    """Render the report for ``period`` (default: the newest) and return the path of ``report-<period>.html``."""
    data = load_report_data(Path(published_db), period)
    html = render_report(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"report-{safe_file_part(data.period)}.html"
    write_atomically(target, html)
    if not data.periods or data.period == data.periods[-1]:
        write_atomically(out_dir / "latest.html", html)
    return target
