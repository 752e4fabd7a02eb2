"""The common-clock design of "does the group improve weak schools?", on hand-built rows: which
weak judgements start an episode, who is a joiner, the horizons and "not yet judged", intention to
treat (leavers and closures stay credited), and which episodes may serve as controls (not joined by
the joiner's elapsed time, never the same group, the two within-kind pools)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from school_groups.settings import THRESHOLDS_FILE, load_thresholds
from school_groups.sql_runner import build_model, discover

AS_AT = date(2026, 10, 31)
T, U = "gias:10", "gias:11"
# urn -> (weak judgement date or None, successor urn or None, close date)
INSPECTIONS = [
    # (inspection number, urn inspected, date, kind, band)
    ("1", 1, date(2018, 1, 15), "graded", "improvement_needed"),      # Old Mill: converts into T as urn 101
    ("101", 101, date(2021, 3, 1), "graded", "secure"),                # its first judgement in the trust
    ("2", 2, date(2018, 2, 1), "graded", "improvement_needed"),       # Brook: stays with the LA ...
    ("2b", 2, date(2019, 6, 1), "graded", "secure"),                   # ... and improves
    ("3", 3, date(2018, 3, 1), "graded", "improvement_needed"),       # joins T, leaves for U
    ("3b", 3, date(2022, 5, 1), "graded", "improvement_needed"),
    ("4", 4, date(2018, 5, 1), "graded", "improvement_needed"),       # in U already: starts nothing
    ("5", 5, date(2018, 1, 20), "graded", "improvement_needed"),      # joins T five years later
    ("6", 6, date(2018, 1, 10), "graded", "improvement_needed"),      # joins U after 50 days
    ("6b", 6, date(2020, 1, 10), "ungraded", "secure"),                # an ungraded visit confirming good
    ("7", 7, date(2018, 4, 1), "graded", "improvement_needed"),       # joins T, then closes
]
MEMBERSHIPS = [
    # (urn, group, kind, from, to)
    (1, "la:1", "local_authority", None, date(2018, 8, 31)),
    (101, T, "multi_academy_trust", date(2018, 9, 1), None),
    (2, "la:1", "local_authority", None, None),
    (3, "la:1", "local_authority", None, date(2018, 5, 31)),
    (3, T, "multi_academy_trust", date(2018, 6, 1), date(2019, 8, 31)),
    (3, U, "multi_academy_trust", date(2019, 9, 1), None),
    (4, U, "multi_academy_trust", date(2015, 9, 1), None),
    (5, "la:1", "local_authority", None, date(2023, 1, 31)),
    (5, T, "multi_academy_trust", date(2023, 2, 1), None),
    (6, "la:1", "local_authority", None, date(2018, 2, 28)),
    (6, U, "multi_academy_trust", date(2018, 3, 1), None),
    (7, "la:1", "local_authority", None, date(2018, 9, 30)),
    (7, T, "multi_academy_trust", date(2018, 10, 1), date(2020, 7, 31)),
]
CLOSED = {1: date(2018, 8, 31), 7: date(2020, 7, 31)}
SUCCESSORS = {101: 1}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    con = duckdb.connect(str(tmp_path_factory.mktemp("design") / "w.duckdb"))
    con.execute("create schema meta; create schema core; create schema patterns")
    # one comparison episode is enough for a cell in a world this small
    thresholds = load_thresholds(THRESHOLDS_FILE) | {"comparison_min_cell": (1.0, "")}
    con.execute("create table meta.settings (key varchar, value double, description varchar, config_id varchar)")
    con.executemany("insert into meta.settings values (?, ?, ?, 'test')", [(k, v, m) for k, (v, m) in thresholds.items()])
    con.execute("create table core.inspections_in_context (inspection_number varchar, urn_at_inspection integer, "
                "inspection_start date, inspection_kind varchar, framework_era varchar, outcome_band varchar, as_at date)")
    con.executemany("insert into core.inspections_in_context values (?, ?, ?, ?, 'cif', ?, ?)",
                    [(*row, AS_AT) for row in INSPECTIONS])
    con.execute("create table core.group_memberships (urn integer, group_key varchar, group_kind varchar, "
                "valid_from date, valid_to date, start_date_known boolean)")
    con.executemany("insert into core.group_memberships values (?, ?, ?, ?, ?, true)", MEMBERSHIPS)
    urns = sorted({m[0] for m in MEMBERSHIPS})
    con.execute("create table core.school_ancestry (urn integer, ancestor_urn integer, generations integer)")
    con.executemany("insert into core.school_ancestry values (?, ?, 0)", [(u, u) for u in urns])
    con.executemany("insert into core.school_ancestry values (?, ?, 1)", list(SUCCESSORS.items()))
    con.execute("create table patterns.school_attributes (urn integer, lineage_id integer, phase_group varchar, "
                "fsm_percent double, region varchar, close_date date)")
    con.executemany("insert into patterns.school_attributes values (?, ?, 'primary', 20.0, 'North West', ?)",
                    [(u, SUCCESSORS.get(u, u), CLOSED.get(u)) for u in urns])
    con.execute("create table core.groups as select distinct group_key, group_kind, group_key as group_name, group_key as display_name "
                "from core.group_memberships")
    con.execute("create table patterns.school_evidence as select distinct group_key from core.group_memberships")
    for name in ("improvement_episodes", "group_improvement_comparisons", "group_improvement"):
        build_model(con, next(m for m in discover() if m.table == f"patterns.{name}"))
    yield con
    con.close()


def episode(con, episode_id: str) -> dict[int, tuple]:
    return {r[0]: r[1:] for r in con.execute(
        "select horizon_years, cohort, group_key, outcome, left_group_by_horizon, closed_by_horizon "
        "from patterns.improvement_episodes where episode_id = ?", [episode_id]).fetchall()}


def test_which_weak_judgements_start_episodes_and_who_joined(con):
    started = dict(con.execute("select distinct episode_id, cohort from patterns.improvement_episodes").fetchall())
    # urns 4 and 3 (in 2022) were in an academy trust when judged weak: no episode.
    assert started == {"1": "joiner", "2": "comparison", "3": "joiner", "5": "comparison", "6": "joiner",
                       "7": "joiner"}
    # the converter: followed into its successor URN, not yet judged two and three years on
    assert episode(con, "1") == {2: ("joiner", T, "not_yet_judged", False, False),
                                 3: ("joiner", T, "not_yet_judged", False, False),
                                 4: ("joiner", T, "improved", False, False),
                                 5: ("joiner", T, "improved", False, False)}
    # an ungraded inspection confirming good is evidence of the standing
    assert episode(con, "6")[2] == ("joiner", U, "improved", False, False)


def test_leavers_and_closures_stay_credited_to_the_trust_they_joined(con):
    assert episode(con, "3")[2] == ("joiner", T, "not_yet_judged", True, False)
    assert episode(con, "3")[5] == ("joiner", T, "same", True, False)
    assert episode(con, "7")[2] == ("joiner", T, "not_yet_judged", False, False)
    assert episode(con, "7")[3] == ("joiner", T, "not_yet_judged", False, True)
    row = con.execute("select joiners, joiners_improved, joiners_not_yet_judged, joiners_left_group, joiners_closed, "
                      "eligible from patterns.group_improvement_comparisons where scope = 'group' and group_key = ? "
                      "and horizon_years = 5 and comparison_pool = 'not_yet_joined'", [T]).fetchall()
    # urn 7 was never judged again: it stays among T's joiners (and in share_not_yet_judged) but cannot be
    # compared, so only two joiners are matched: too few for a published comparison
    assert row == [(3, 1, 1, 1, 1, False)]


def test_controls_had_not_joined_by_the_same_time_and_were_never_in_the_group(con):
    # T's joiners joined 92-229 days after their start. Urn 6 had joined U after 50 days: not a control.
    # Urn 5 joined T itself later: never a control for T. That leaves urn 2, which improved, so each
    # judged joiner of T (urns 1 and 3; one improved) is compared with a rate of 1.
    effects = {r[0]: r[1:] for r in con.execute(
        "select comparison_pool, joiners_matched, comparison_share_improved, effect, mean_match_level "
        "from patterns.group_improvement_comparisons where scope = 'group' and group_key = ? and horizon_years = 5",
        [T]).fetchall()}
    assert effects["not_yet_joined"] == (2, 1.0, pytest.approx(0.5 - 1), 1.0)
    assert effects["stayed_with_la"] == (2, 1.0, pytest.approx(0.5 - 1), 1.0)
    # the other trusts of its kind: urn 6 (U's joiner, improved); urn 3 joined both, so it counts for neither
    assert effects["other_trusts"] == (2, 1.0, pytest.approx(0.5 - 1), 1.0)
    # U's joiner (urn 6, 50 days) is compared with every episode not yet joined at 50 days and never in U:
    # urn 1 (joined T at 229 days), 2, 5 and 7 (urn 3 was in U: left out). Urns 5 and 7 were never judged
    # again: they count in the comparison's share not yet judged, and the rate is over urns 1 and 2.
    u = con.execute("select comparison_share_improved from patterns.group_improvement_comparisons "
                    "where scope = 'group' and group_key = ? and horizon_years = 5 and comparison_pool = 'not_yet_joined'",
                    [U]).fetchall()
    assert u == [(1.0,)]
    nyj = con.execute("select comparison_share_not_yet_judged from patterns.group_improvement_comparisons "
                      "where scope = 'group' and group_key = ? and horizon_years = 5 "
                      "and comparison_pool = 'not_yet_joined'", [U]).fetchall()
    assert nyj == [(0.5,)]


def test_the_headline_row_is_the_primary_horizon_with_both_within_kind_comparisons(con):
    row = con.execute("select horizon_years, joiners, effect, effect_vs_stayed_with_la, effect_vs_other_trusts "
                      "from patterns.group_improvement where group_key = ?", [T]).fetchall()
    assert row == [(5, 3, pytest.approx(0.5 - 1), pytest.approx(0.5 - 1), pytest.approx(0.5 - 1))]
