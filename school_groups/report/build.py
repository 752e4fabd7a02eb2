"""Build the readers' HTML report from the published DuckDB file, and nothing else.

``build_report(published_db, out_dir, period)`` opens ``published.duckdb`` read-only, pools the
published pattern tables into what each chart draws (``load_report_data``), renders one page
(``render.render_report``) and writes ``out_dir/report-<period>.html`` atomically (a temporary
file in the same folder, then ``os.replace``). ``out_dir/latest.html`` is replaced too when the
period is the newest one published, so an explicit rebuild of an older period never hides the
newest report. Beside them, ``out_dir/groups-<period>/`` holds one page per sampled group and an
index of them (``profile_pages``), which the main page links to.

How the published tables are pooled into what each chart draws (the pooling rules) is set out in
``queries``; reading them into :class:`ReportData` is ``loader``'s work.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .formatting import safe_file_part
from .loader import REQUIRED_TABLES, load_report_data, period_sort_key, weighted_median
from .profile_pages import group_file, group_page, groups_dir, index_page
from .render import ReportData, render_report

__all__ = ["REQUIRED_TABLES", "build_report", "load_report_data", "period_sort_key", "safe_file_part",
           "weighted_median", "write_atomically", "write_group_pages"]


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


def write_group_pages(data: ReportData, out_dir: Path) -> Path:
    """Write ``groups-<period>/``: one page per sampled group and the index; pages of groups no longer
    sampled in the period are removed, so the folder holds exactly this sample. Returns the index."""
    folder = Path(out_dir) / groups_dir(data.period)
    folder.mkdir(parents=True, exist_ok=True)
    written = {"index.html"}
    for g in data.sampled:
        name = group_file(g.facts.group_key)
        write_atomically(folder / name, group_page(data, g))
        written.add(name)
    write_atomically(folder / "index.html", index_page(data))
    for stale in folder.glob("*.html"):
        if stale.name not in written:
            stale.unlink()
    return folder / "index.html"


def build_report(published_db: Path, out_dir: Path, period: str | None = None) -> Path:
    """Render the report for ``period`` (default: the newest) and return the path of ``report-<period>.html``.

    The profile pages are written first, so the main page never links to a page not yet there."""
    data = load_report_data(Path(published_db), period)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_group_pages(data, out_dir)
    html = render_report(data)
    target = out_dir / f"report-{safe_file_part(data.period)}.html"
    write_atomically(target, html)
    if not data.periods or data.period == data.periods[-1]:
        write_atomically(out_dir / "latest.html", html)
    return target
