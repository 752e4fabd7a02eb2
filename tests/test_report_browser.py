"""The readers' report in a real browser: headless Chromium opens it from file:// and we check it
loads cleanly, fetches nothing but itself, and draws every chart.

Uses the Python ``playwright`` package driving the system Chromium (Debian package ``chromium``,
installed by ``.ci/install_browser.sh``); Playwright's own browser download is never used. When
the browser is missing the test is skipped, unless ``SCHOOL_GROUPS_REQUIRE_BROWSER`` is set (CI
sets it): then a missing browser is a failure. The report is built from the same FIXTURE
published.duckdb as tests/test_report.py. A full-page screenshot goes to
``test-artifacts/report.png`` (gitignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from school_groups.report import build_report
from tests.test_report import AWKWARD_NAME, make_published_db

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("SCHOOL_GROUPS_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = bool(os.environ.get("SCHOOL_GROUPS_REQUIRE_BROWSER"))


def _browser_or_skip():
    """The playwright module, or a skip (a failure when the browser is required)."""
    problem = None
    try:
        from playwright import sync_api
    except ImportError as exc:
        sync_api, problem = None, f"the playwright package is not installed ({exc}); pip install the dev extra"
    if problem is None and not CHROMIUM.exists():
        problem = (f"no Chromium at {CHROMIUM}; run .ci/install_browser.sh (apt-get install chromium) "
                   "or set SCHOOL_GROUPS_CHROMIUM")
    if problem:
        if REQUIRED:
            pytest.fail(f"SCHOOL_GROUPS_REQUIRE_BROWSER is set but {problem}")
        pytest.skip(problem)
    return sync_api


# Geometry and marks of every chart, measured by the browser after layout.
MEASURE_CHARTS = """
() => Array.from(document.querySelectorAll('figure .chart-wide svg')).map((svg) => {
  const box = svg.getBoundingClientRect();
  const marks = Array.from(svg.querySelectorAll('.mark'));
  const drawn = marks.filter((m) => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; });
  const breaks = Array.from(svg.querySelectorAll('.break-marker line'));
  const breaksDrawn = breaks.filter((m) => m.getBoundingClientRect().height > 0);
  return {title: svg.querySelector('title') ? svg.querySelector('title').textContent : null,
          width: box.width, height: box.height, marks: marks.length, drawn: drawn.length,
          breaks: breaks.length, breaksDrawn: breaksDrawn.length};
})
"""


class Recorder:
    """Every request a context makes (routed: only ``allowed`` goes through), console errors, page errors."""

    def __init__(self, context, allowed: str):
        self.allowed, self.requests, self.console_errors, self.page_errors = allowed, [], [], []
        context.route("**/*", self._route)

    def _route(self, route):
        self.requests.append(route.request.url)
        if route.request.url == self.allowed:
            route.continue_()
        else:
            route.abort()

    def watch(self, page):
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        return page


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, offline=True)
    recorder = Recorder(context, url)
    page = recorder.watch(context.new_page())
    page.set_default_timeout(30_000)
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return context, page, response, recorder


def test_report_renders_offline_in_chromium(tmp_path):
    sync_api = _browser_or_skip()
    db = make_published_db(tmp_path / "published.duckdb")
    report = build_report(db, tmp_path / "reports")
    url = report.resolve().as_uri()
    # A page that leaks, to prove the recorder would catch the report doing the same.
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>leaky</title></head><body>'
                     '<img src="https://example.invalid/pixel.png" alt=""></body></html>', encoding="utf-8")

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS,
                                     timeout=60_000)
        try:
            context, page, response, rec = _open(browser, url)
            assert response is None or response.ok
            assert page.title().startswith("School groups patterns report")
            charts = page.evaluate(MEASURE_CHARTS)
            text = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
            context.close()
            leaky_context, _, _, leaky_rec = _open(browser, leaky.resolve().as_uri())
            leaky_context.close()
        finally:
            browser.close()

    assert "https://example.invalid/pixel.png" in leaky_rec.requests, "the request recorder is blind"
    assert rec.console_errors == [], rec.console_errors
    assert rec.page_errors == [], rec.page_errors
    assert set(rec.requests) == {url}, f"requests other than the report itself: {sorted(set(rec.requests) - {url})}"
    assert all(c["width"] > 0 for c in charts), "at 1100 px the wide drawings show"

    assert len(charts) == 15    # 3 trend charts per view, 3 era charts by kind, bands, spread, improvement, stale,
    #                             ages, estimates
    for chart in charts:
        assert chart["title"], chart
        assert chart["width"] > 100 and chart["height"] > 50, chart
        assert chart["marks"] > 0 and chart["drawn"] == chart["marks"], chart

    assert sum(c["breaks"] for c in charts) >= 4, "framework and source breaks are marked on the trend charts"
    assert all(c["breaksDrawn"] == c["breaks"] for c in charts)
    assert "Why lines stop and restart" in text

    assert AWKWARD_NAME in text      # a signal's link to its group: escaped in HTML, shown as written
    assert "Profiles of sampled groups" in text     # the profiles themselves are pages of their own
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
