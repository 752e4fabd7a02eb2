"""The whole pipeline on the bundled real excerpts, as the README's demo runs it, checked against
published figures derived from the same real files (shared REFERENCE_FIGURES.md, section 6)."""

from __future__ import annotations

import csv
import subprocess
import sys

import duckdb
import pytest

from .conftest import ROOT, SAMPLE, clean_env

pytestmark = pytest.mark.slow

OXFORDSHIRE_2017 = SAMPLE / "maintained-schools-and-academies-inspections-and-outcomes-as-at-31-december-2017-oxfordshire.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("real-demo")
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--sample", "real"], cwd=ROOT,
                          env=clean_env() | {"SCHOOL_GROUPS_HOME": str(home)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    con = duckdb.connect(str(home / "published" / "published.duckdb"), read_only=True)
    yield home, done.stdout, con
    con.close()


def file_grades() -> dict[int, str]:
    with open(OXFORDSHIRE_2017, encoding="cp1252", newline="") as fh:
        return {int(r["URN"]): r["Overall effectiveness"] for r in csv.DictReader(fh)}


def test_oxfordshire_2017_share_good_or_outstanding_matches_the_official_file(demo):
    _, _, con = demo
    grades = file_grades()
    graded = [g for g in grades.values() if g in ("1", "2", "3", "4")]
    official = sum(g in ("1", "2") for g in graded) / len(graded)         # 259 / 290 = 89.3%
    schools, judged, good, share = con.execute(
        "select schools, schools_judged_in_era, schools_with_outcome, share from patterns.area_outcome_shares "
        "where as_at = '2017-12-31' and view = 'including_inherited' and area_level = 'local_authority' "
        "and area_name = 'Oxfordshire' and measure = 'overall_effectiveness' and outcome = 'good_or_outstanding'").fetchall()[0]
    assert (schools, judged) == (len(grades), len(graded))
    assert round(100 * share, 1) == round(100 * official, 1) == 89.3
    # and school by school: the warehouse counts the judgement the file states for each school
    ours = dict(con.execute("select urn, good_or_better from patterns.snapshot_judgements "
                            "where as_at = '2017-12-31' and view = 'including_inherited'").fetchall())
    assert {u: g in ("1", "2") for u, g in grades.items() if g in ("1", "2", "3", "4")} == \
        {u: v for u, v in ours.items() if v is not None}


def test_own_judgements_leave_out_predecessors_grades(demo):
    # Own judgements are decided by date, as Ofsted's files require: every row of an academy lists
    # its predecessor, so only inspections started before "Provider open date - QA" are inherited
    # (REFERENCE_FIGURES.md section 6: own 203 of 229, with inherited 259 of 290).
    _, _, con = demo
    got = dict(con.execute(
        "select view, (schools_judged_in_era, schools_with_outcome) from patterns.area_outcome_shares "
        "where as_at = '2017-12-31' and area_level = 'local_authority' and area_name = 'Oxfordshire' "
        "and measure = 'overall_effectiveness' and outcome = 'good_or_outstanding'").fetchall())
    with open(OXFORDSHIRE_2017, encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))

    def ymd(text):
        d, m, y = text.split("/")
        return (int(y), int(m), int(d))

    graded = [r for r in rows if r["Overall effectiveness"] in ("1", "2", "3", "4")]
    own = [r for r in graded if r["Predecessor URN"] in ("", "NULL")
           or ymd(r["Inspection start date"]) >= ymd(r["Provider open date - QA"])]
    assert got == {"including_inherited": (len(graded), sum(r["Overall effectiveness"] in "12" for r in graded)),
                   "own_judgements": (len(own), sum(r["Overall effectiveness"] in "12" for r in own))}
    assert got == {"including_inherited": (290, 259), "own_judgements": (229, 203)}


def test_demo_ends_with_the_report_path_and_publishes_every_pattern_table(demo):
    home, stdout, con = demo
    # real excerpts: nothing claims to be synthetic
    assert con.execute("select synthetic_data from meta.publication").fetchall() == [(False,)]
    assert 'class="synthetic-banner"' not in (home / "reports" / "system" / "latest.html").read_text(encoding="utf-8")
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("report:") and str(home / "reports" / "system" / "latest.html") in last
    tables = {r[0] for r in con.execute("select table_schema || '.' || table_name from information_schema.tables"
                                        ).fetchall()}
    assert {"patterns.group_profile", "patterns.group_outcome_patterns", "patterns.group_improvement",
            "patterns.group_capacity", "patterns.group_signals", "patterns.system_trends", "patterns.system_evidence",
            "patterns.group_era_patterns", "patterns.inspection_year_outcomes", "staging.ofsted_reporting_eras",
            "patterns.group_comparability", "sampling.sample_estimates", "meta.settings"} <= tables
