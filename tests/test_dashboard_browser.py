"""The dashboard in a real browser: Streamlit started on 127.0.0.1 against the published files of the
small synthetic mirror, driven in headless Chromium through Playwright (the system Chromium, as in
tests/test_report_browser.py; skipped without it unless SCHOOL_GROUPS_REQUIRE_BROWSER is set).

Screenshots go to ``test-artifacts/dashboard-*.png``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboards.screens.group_sections import EFFECT_LABEL, IMPROVED_LABEL
from school_groups.report.formatting import fmt_num, fmt_pct, fmt_points
from tests.conftest import ROOT, clean_env
from tests.dashboard_driver import EXCEPTION, click_page, dashboard, open_page, settle
from tests.test_report_browser import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, _browser_or_skip

pytestmark = pytest.mark.browser

PAGES = ["System trends", "Group explorer", "Compare groups", "Sample estimates", "Data quality and provenance"]
SEED = 1     # its planted improver has weak joiners to show (seed 7's has none)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """The small synthetic mirror, generated and run through the whole pipeline once (about 1.5 min)."""
    import os

    from synthetic.generate import TRUTH_FILE, generate

    if os.environ.get("SCHOOL_GROUPS_TEST_SMALL_HOME"):
        # Developers iterating on these tests: a home already run on a small mirror (seed SEED), the
        # mirror as SCHOOL_GROUPS_TEST_SMALL_MIRROR.
        mirror = Path(os.environ["SCHOOL_GROUPS_TEST_SMALL_MIRROR"])
        return mirror, Path(os.environ["SCHOOL_GROUPS_TEST_SMALL_HOME"]), json.loads((mirror / TRUTH_FILE).read_text())
    mirror, home = tmp_path_factory.mktemp("mirror-small"), tmp_path_factory.mktemp("home-small")
    truth = generate("small", SEED, mirror)
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, capture_output=True, text=True,
                          env=clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return mirror, home, truth


@pytest.fixture
def chromium():
    sync_api = _browser_or_skip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A page whose console errors and uncaught errors are kept."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1300, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def shot(self, name: str) -> None:
        # Streamlit scrolls inside its main pane, so a full-page screenshot is one screen: grow the
        # viewport to the pane's height for the picture, then put it back.
        ARTIFACTS.mkdir(exist_ok=True)
        size = self.page.viewport_size
        tall = self.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0")
        self.page.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), 8000)})
        settle(self.page)
        self.page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)
        self.page.set_viewport_size(size)

    def exceptions(self) -> list[str]:
        return self.page.locator(EXCEPTION).all_inner_texts()


def published_row(home: Path, sql: str, *params) -> tuple:
    con = duckdb.connect(str(home / "published" / "published.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()[0]
    finally:
        con.close()


def metric_value(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def add_to_comparison(page, names: list[str]) -> None:
    """Search each group by name on the compare page and pick it."""
    for name in names:
        page.get_by_label("Find a group to add (name or GIAS UID)").fill(name)
        page.keyboard.press("Enter")
        settle(page)
        page.locator('[data-testid="stMultiSelect"] input').click()
        page.get_by_role("option").filter(has_text=name).first.click()
        page.keyboard.press("Escape")
        settle(page)


def test_every_page_opens_a_planted_improver_is_found_and_two_groups_compared(small_run, chromium):
    _, home, truth = small_run
    improvers = [f"gias:{p['group_uid']}" for p in truth["patterns"] if p["pattern"] == "improves_weak_joiners"]
    name, joiners, share, effect = published_row(
        home, "select group_name, joiners, share_improved, effect from patterns.group_improvement where scope = "
              f"'group' and group_key in ({', '.join('?' for _ in improvers)}) order by joiners desc", *improvers)
    assert joiners and share is not None and effect is not None, "the planted improver has weak joiners to show"
    run_id = published_row(home, "select run_id from meta.publication")[0]
    with dashboard(clean_env() | {"SCHOOL_GROUPS_HOME": str(home)}) as url:
        w = Watched(chromium)
        open_page(w.page, url)
        for title in PAGES:
            click_page(w.page, title)
            w.shot(title.lower().replace(" ", "-"))
            assert w.exceptions() == [], (title, w.exceptions())
        assert run_id in w.page.locator("body").inner_text()           # provenance page, and the sidebar

        # trends by local authority come from another table (patterns.area_outcome_shares)
        click_page(w.page, "System trends")
        w.page.locator('[data-testid="stSelectbox"]').nth(1).click()
        w.page.get_by_role("option", name="Local authority").click()
        w.page.get_by_text("not published by local authority").first.wait_for()
        settle(w.page)
        assert w.exceptions() == [] and w.page.locator('[data-testid="stVegaLiteChart"]').count() == 1
        w.shot("system-trends-by-la")
        assert "Synthetic data." in w.page.locator("body").inner_text()

        # a planted improver, searched by name: its figures as patterns.group_improvement has them
        click_page(w.page, "Group explorer")
        w.page.get_by_label("Search a group by name or GIAS UID").fill(name)
        w.page.keyboard.press("Enter")
        w.page.get_by_text("Its schools and their latest evidence").wait_for()
        settle(w.page)
        assert w.page.locator('[data-testid="stHeading"]').filter(has_text=name).count() >= 1
        assert metric_value(w.page, IMPROVED_LABEL) == fmt_pct(share)
        assert metric_value(w.page, EFFECT_LABEL) == fmt_points(effect)
        assert metric_value(w.page, "Weak joiners (n)") == fmt_num(joiners, 0)
        w.shot("group-explorer-improver")

        # two groups side by side: the figure's n is both groups' schools with evidence
        click_page(w.page, "Compare groups")
        two = [name, published_row(home, "select group_name from patterns.group_outcome_patterns where view = "
                                         "'including_inherited' and weighting = 'schools' and not suppressed "
                                         "and group_name <> ? order by schools_with_evidence desc limit 1", name)[0]]
        add_to_comparison(w.page, two)
        n = published_row(home, "select sum(schools_with_evidence) from patterns.group_outcome_patterns "
                                "where view = 'including_inherited' and weighting = 'schools' and group_name in (?, ?)",
                          *two)[0]
        w.page.get_by_text(f"n = {n:,} schools with evidence").wait_for()
        settle(w.page)
        assert w.page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
        w.shot("compare-groups")
        assert w.exceptions() == []
        w.context.close()
    assert w.errors == [], w.errors


def test_a_new_publication_shows_on_the_next_page_load(small_run, chromium, tmp_path):
    mirror, home, _ = small_run
    home = Path(shutil.copytree(home, tmp_path / "home"))     # republished here, not in the shared run
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    first = published_row(home, "select run_id from meta.publication")[0]
    suppress = int(published_row(home, "select value from meta.settings where key = 'suppress_below_schools'")[0])
    with dashboard(env) as url:
        w = Watched(chromium)
        open_page(w.page, url, f"cells under {suppress} schools suppressed")     # the trends page, cached
        click_page(w.page, "Data quality and provenance")
        assert first in w.page.locator("main").inner_text()
        # Publish again while the dashboard is open. A run with nothing new publishes nothing, so one
        # threshold changes (every table records the thresholds it was built with).
        done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, capture_output=True,
                              text=True, env=env | {"SCHOOL_GROUPS_SUPPRESS_BELOW_SCHOOLS": str(suppress + 1)})
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        second = published_row(home, "select run_id from meta.publication")[0]
        assert second != first
        # the next page load: the new run id, and figures from the new files, not the old cache
        open_page(w.page, url, f"cells under {suppress + 1} schools suppressed")
        assert second in w.page.locator('[data-testid="stSidebar"]').inner_text()
        click_page(w.page, "Data quality and provenance")
        text = w.page.locator("main").inner_text()
        assert second in text and first not in text
        w.shot("republished")
        assert w.exceptions() == []
        w.context.close()
    assert w.errors == [], w.errors


def test_with_nothing_published_it_says_how_to_run_the_pipeline(chromium, tmp_path):
    with dashboard(clean_env() | {"SCHOOL_GROUPS_HOME": str(tmp_path / "empty")}) as url:
        w = Watched(chromium)
        open_page(w.page, url, "Nothing published yet")
        text = w.page.locator("body").inner_text()
        assert "python3 scripts/dev.py demo" in text and str(tmp_path / "empty" / "published") in text
        assert w.exceptions() == []
        w.shot("nothing-published")
        w.context.close()
    assert w.errors == [], w.errors
