"""The report on a desktop (1400 px) and a phone (400 px) in Chromium: the main page and a group's
profile page never scroll sideways, no chart text renders below 11 px, nothing logs an error, and the
synthetic-data banner shows on a synthetic publication and never on real data.

Real data is the bundled excerpts' publication (source_mode 'sample'): the FIXTURE published file of
tests/test_report.py, or, when SCHOOL_GROUPS_REAL_PUBLISHED names one, a published.duckdb from
``SCHOOL_GROUPS_HOME=... python3 scripts/dev.py demo --sample real``. Screenshots of every page at both
widths go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from school_groups.report import build_report
from tests.test_report import PERIOD, make_published_db
from tests.test_report_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, Recorder, _browser_or_skip

pytestmark = pytest.mark.browser
WIDTHS = (1400, 400)
GENERATOR = [{"generator": "synthetic.generate", "generator_version": 4, "scale": "national", "seed": 42}]

# Page geometry and the smallest chart text, as rendered: each visible SVG text's computed font size
# times its drawing's scale (rendered width over viewBox width), and its box height.
MEASURE = """
() => {
  const texts = [];
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;            // the other layout's drawing: not shown
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0) continue;
      texts.push({px: parseFloat(getComputedStyle(t).fontSize) * scale, height: r.height, text: t.textContent});
    }
  }
  texts.sort((a, b) => a.px - b.px);
  const banner = document.querySelector('.synthetic-banner');
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
          height: document.scrollingElement.scrollHeight, charts: document.querySelectorAll('svg').length,
          visibleCharts: Array.from(document.querySelectorAll('svg')).filter(s => s.getBoundingClientRect().width > 0).length,
          smallest: texts[0] || null, texts: texts.length,
          banner: banner ? banner.getBoundingClientRect().height > 0 && banner.textContent : null};
}
"""


def _synthetic(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    con = duckdb.connect(str(dst))
    con.execute("update meta.publication set synthetic_data = true, source_mode = 'synthetic', synthetic_generator = ?",
                [json.dumps(GENERATOR)])
    con.close()
    return dst


def _measure_pages(sync_api, pages: dict[str, Path]) -> dict[tuple[str, int], dict]:
    out = {}
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, timeout=60_000)
        try:
            for name, path in pages.items():
                url = path.resolve().as_uri()
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
                    rec = Recorder(context, url)
                    page = rec.watch(context.new_page())
                    page.goto(url, wait_until="load")
                    m = page.evaluate(MEASURE)
                    page.screenshot(path=str(ARTIFACTS / f"report-{name}-{width}.png"), full_page=True)
                    m["errors"] = rec.console_errors + rec.page_errors
                    out[(name, width)] = m
                    context.close()
        finally:
            browser.close()
    return out


def _pages(main: Path, label: str) -> dict[str, Path]:
    """The main page, the profile index and the first profile (a real excerpt may have sampled no group)."""
    folder = main.parent / f"groups-{main.stem.removeprefix('report-')}"
    pages = {f"{label}-main": main, f"{label}-index": folder / "index.html"}
    profiles = sorted(p for p in folder.glob("*.html") if p.name != "index.html")
    if profiles:
        pages[f"{label}-profile"] = profiles[0]
    return pages


def _check(measured: dict, synthetic: bool) -> None:
    for (name, width), m in measured.items():
        assert m["errors"] == [], (name, width, m["errors"])
        assert m["scrollWidth"] <= m["innerWidth"], f"{name} at {width} px scrolls sideways: {m['scrollWidth']} px"
        if m["smallest"] is not None:
            assert m["smallest"]["px"] >= 11 - 1e-6, (name, width, m["smallest"])
            assert m["smallest"]["height"] >= 11, (name, width, m["smallest"])
        assert bool(m["banner"]) is synthetic, (name, width, m["banner"])
        if synthetic:
            assert "made-up schools and groups" in m["banner"] and "seed 42" in m["banner"]


def test_synthetic_report_reads_on_desktop_and_phone(tmp_path):
    sync_api = _browser_or_skip()
    db = _synthetic(make_published_db(tmp_path / "published.duckdb"), tmp_path / "synthetic.duckdb")
    main = build_report(db, tmp_path / "reports")
    pages = _pages(main, "synthetic")
    assert "synthetic-profile" in pages
    measured = _measure_pages(sync_api, pages)
    _check(measured, synthetic=True)
    wide, narrow = measured[("synthetic-main", 1400)], measured[("synthetic-main", 400)]
    # one drawing of each chart shows at each width, and every chart has text to measure
    assert wide["visibleCharts"] == narrow["visibleCharts"] == wide["charts"] // 2 == 15
    assert wide["smallest"] is not None and narrow["smallest"] is not None
    assert (ARTIFACTS / "report-synthetic-main-400.png").stat().st_size > 10_000


def test_real_data_report_has_no_banner(tmp_path):
    sync_api = _browser_or_skip()
    real = os.environ.get("SCHOOL_GROUPS_REAL_PUBLISHED")
    db = Path(real) if real else make_published_db(tmp_path / "published.duckdb")   # source_mode 'sample'
    con = duckdb.connect(str(db), read_only=True)
    synthetic, mode = con.execute("select synthetic_data, source_mode from meta.publication").fetchone()
    con.close()
    assert synthetic is False and mode == "sample", "the real-data run is the bundled real excerpts"
    main = build_report(db, tmp_path / "reports")
    measured = _measure_pages(sync_api, _pages(main, "real"))
    _check(measured, synthetic=False)
    if not real:
        assert main.name == f"report-{PERIOD}.html" and ("real-profile", 400) in measured
