"""What an operator reads at the end of a run: the console's last lines name every failed check in
one plain sentence (blocking first), a rerun says files were already loaded (not "0 rows"), and the
data-quality report lists failures first with rounded numbers."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from school_groups.sources.registry import match_file
from synthetic.generate import generate
from tests.conftest import ROOT, clean_env

pytestmark = pytest.mark.slow


def run_cli(mirror: Path, home: Path, **thresholds: str) -> subprocess.CompletedProcess:
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    env |= {f"SCHOOL_GROUPS_{key.upper()}": value for key, value in thresholds.items()}
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


def newest(mirror: Path, source: str | None = None) -> date:
    """The newest snapshot date in the mirror's file names (of one source, or of all)."""
    dated = [m for p in mirror.iterdir() if (m := match_file(p.name))]
    return max(day for found, day in dated if source is None or found.name == source)


def long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@pytest.fixture(scope="module")
def small_mirror(tmp_path_factory) -> Path:
    mirror = tmp_path_factory.mktemp("mirror-small")
    generate("small", 7, mirror)
    return mirror


def test_a_failed_warning_check_is_named_with_its_sentence_in_the_last_lines(small_mirror, tmp_path):
    # A monthly source may lag the mirror's newest file by 0 days: the in-year MI (published at
    # month end) is then older than the GIAS files of later that month, so its freshness check fails.
    done = run_cli(small_mirror, tmp_path / "home", freshness_days_monthly="0")
    assert done.returncode == 0, done.stderr[-3000:]
    in_year, reference = newest(small_mirror, "ofsted_mi_in_year"), newest(small_mirror)
    assert in_year < reference, "the mirror's files no longer give this test a stale source"
    expected = (f"warning  raw.ofsted_mi_in_year fresh: newest snapshot {long_date(in_year)} is "
                f"{(reference - in_year).days:,} days older than the mirror's newest file, {long_date(reference)}; "
                "limit 0")
    tail = [line.strip() for line in done.stdout.strip().splitlines()[-12:]]
    assert expected in tail, "\n".join(tail)
    headline = next(line for line in tail if line.startswith("run "))
    assert "succeeded" in headline and "0 blocking" in headline
    # the failures come after the tables, followed only by the data-quality report and the readers' report
    assert tail[-1].startswith("report:") and tail[-3].startswith("data-quality report: ")

    # The data-quality report: failed checks first, in the same words; no long float anywhere.
    report = Path(tail[-3].split(": ", 1)[1]).read_text(encoding="utf-8")
    assert report.index("## Failed checks") < report.index("## Every check")
    assert f"- {expected}" in report
    table = report[report.index("## Every check"):]
    assert "FAILED" in table.splitlines()[4], "failures are not listed first"
    assert not any(len(token) > 8 and token.replace(".", "", 1).isdigit() and "." in token
                   for token in table.replace("|", " ").split()), "a number is not rounded"

    # Rerun: nothing new, so every file is 'already loaded' with the rows it holds.
    again = run_cli(small_mirror, tmp_path / "home", freshness_days_monthly="0")
    assert again.returncode == 0, again.stderr[-3000:]
    log = again.stdout + again.stderr
    assert "already loaded (" in log and ": unchanged, 0 rows" not in log


def test_the_national_demo_mirror_passes_its_own_freshness_checks(national_run):
    """Measured against the mirror's own date, the generated mirror is fresh: the demo does not
    warn about its own data on every run."""
    import duckdb

    con = duckdb.connect(str(national_run.home / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("select suite, results from meta.check_state where suite like 'raw.%'").fetchall()
    finally:
        con.close()
    import json

    fresh = {suite: [o for o in json.loads(results) if o["name"] == "fresh"] for suite, results in rows}
    judged = {suite: outcomes[0]["passed"] for suite, outcomes in fresh.items() if outcomes}
    assert len(judged) == 8 and all(judged.values()), judged
