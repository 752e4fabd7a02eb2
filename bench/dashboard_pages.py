"""How fast each dashboard page renders on a home's published files (default: the national demo's).

    .venv/bin/python bench/dashboard_pages.py [--home data] [--rounds 3]

Starts the dashboard on 127.0.0.1, opens it in headless Chromium and times, per page, the sidebar
click to the page's last element visible (title shown, script finished, every chart drawn): the
first visit after the start (cold: imports and queries), later visits (warm: cached for the
publication's run id) and the first visit after a new publication (a copy of the file given a new
run id and renamed into place: queries run again, nothing else is cold); also the first full load
of the app, a group searched in the explorer and two groups compared. The dashboard reads a copy of
the home's published folder, so the home is never changed. Prints a table and writes ``bench/results/dashboard-<date>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import clean_env  # noqa: E402
from tests.dashboard_driver import click_page, dashboard, open_page, settle  # noqa: E402
from tests.test_dashboard_browser import add_to_comparison  # noqa: E402
from tests.test_report_browser import CHROMIUM, LAUNCH_ARGS  # noqa: E402

PAGES = ["System trends", "Group explorer", "Compare groups", "Sample estimates", "Data quality and provenance"]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def search_group(page, name: str) -> None:
    page.get_by_label("Search a group by name or GIAS UID").fill(name)
    page.keyboard.press("Enter")
    page.get_by_text("Its schools and their latest evidence").wait_for()
    settle(page)


def compare_groups(page, names: list[str]) -> None:
    add_to_comparison(page, names)
    page.get_by_text("Weak joiners improved").first.wait_for()
    settle(page)


def republish(home: Path) -> None:
    """What the publish step does, as far as a reader can tell: a new file (a new run id) renamed in."""
    import duckdb

    db = home / "published" / "published.duckdb"
    staged = db.with_name(".bench.duckdb.tmp")
    shutil.copyfile(db, staged)
    con = duckdb.connect(str(staged))
    con.execute("update meta.publication set run_id = run_id || '-bench', published_at = now()")
    con.close()
    os.replace(staged, db)


def measure(home: Path, rounds: int, groups: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {"home": str(home), "cold": {}, "warm": {}}
    with dashboard(clean_env() | {"SCHOOL_GROUPS_HOME": str(home)}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        out["first_full_load_s"] = open_page(page, url)
        # System trends is the page that first load drew; visit another before timing it cold.
        out["cold"]["System trends"] = out["first_full_load_s"]
        for title in PAGES[1:]:
            out["cold"][title] = click_page(page, title)
        warm: dict[str, list[float]] = {t: [] for t in PAGES}
        for _ in range(rounds):
            for title in PAGES:
                warm[title].append(click_page(page, title))
        out["warm"] = {t: statistics.median(v) for t, v in warm.items()}
        out["warm_max"] = {t: max(v) for t, v in warm.items()}
        republish(home)
        out["full_reload_after_new_publication_s"] = open_page(page, url)
        out["after_new_publication"] = {"System trends": out["full_reload_after_new_publication_s"]}
        for title in PAGES[1:]:
            out["after_new_publication"][title] = click_page(page, title)
        out["full_reload_warm_s"] = open_page(page, url)
        click_page(page, "Group explorer")
        out["explorer_search_s"] = timed(lambda: search_group(page, groups[0]))
        click_page(page, "Compare groups")
        out["compare_two_s"] = timed(lambda: compare_groups(page, groups))
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "data")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--groups", nargs=2, default=None, help="two group names to search and compare")
    args = parser.parse_args()
    db = args.home / "published" / "published.duckdb"
    if not db.exists():
        print(f"{db}: nothing published; run python3 scripts/dev.py demo first", file=sys.stderr)
        return 1
    groups = args.groups or _two_largest_trusts(db)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        shutil.copytree(args.home / "published", home / "published")
        result = measure(home, args.rounds, groups)
    result["home"] = str(args.home.resolve())
    result.update(groups=groups, date=date.today().isoformat(), machine=platform.platform(),
                  cores=os.cpu_count(), load_average=os.getloadavg())
    print(f"{'page':32} {'cold s':>7} {'warm s':>7} {'warm max s':>10} {'new pub s':>9}")
    for title in PAGES:
        print(f"{title:32} {result['cold'][title]:7.2f} {result['warm'][title]:7.2f} {result['warm_max'][title]:10.2f} "
              f"{result['after_new_publication'][title]:9.2f}")
    for key in ("first_full_load_s", "full_reload_after_new_publication_s", "full_reload_warm_s", "explorer_search_s",
                "compare_two_s"):
        print(f"{key:32} {result[key]:7.2f}")
    target = ROOT / "bench" / "results" / f"dashboard-{result['date']}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written: {target}")
    return 0


def _two_largest_trusts(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute(
            "select group_name from patterns.group_profile where group_kind = 'multi_academy_trust' "
            "and group_name in (select group_name from patterns.group_profile group by 1 having count(*) = 1) "
            "order by schools desc limit 2").fetchall()]
    finally:
        con.close()


if __name__ == "__main__":
    raise SystemExit(main())
