"""Eligibility for group-level comparison under the two rulesets, on hand-built rows: the project's
rule and DfE's MAT-measure rule (mainstream schools, whole academic years, unknown join dates left
out), each clause a case of its own."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from school_groups.sql_runner import build_model, discover
from school_groups.settings import THRESHOLDS_FILE, load_thresholds

AS_AT = date(2026, 10, 31)          # academic year 2026/27 began on 1 Sep 2026
# group -> [(urn, joined_on, mainstream)]
GROUPS = {
    # three mainstream schools, each in the trust since 1 Sep 2023: three whole academic years
    "gias:1": [(1, date(2023, 9, 1), True), (2, date(2023, 9, 1), True), (3, date(2023, 9, 1), True)],
    # the third is a special school: DfE counts only mainstream schools
    "gias:2": [(4, date(2020, 9, 1), True), (5, date(2020, 9, 1), True), (6, date(2020, 9, 1), False)],
    # the third joined on 1 Dec 2023: 2 years 11 months, two whole academic years
    "gias:3": [(7, date(2019, 9, 1), True), (8, date(2019, 9, 1), True), (9, date(2023, 12, 1), True)],
    # the third has no join date: long standing for the project, left out (and counted) for DfE
    "gias:4": [(10, date(2018, 9, 1), True), (11, date(2018, 9, 1), True), (12, None, True)],
    # the third is a nursery school (phase_group nursery): no key-stage results, not counted by DfE
    "gias:5": [(13, date(2018, 9, 1), True), (14, date(2018, 9, 1), True), (15, date(2018, 9, 1), True)],
}
NURSERY_URNS = {15}


@pytest.fixture(params=[0, 1], ids=["project", "dfe"])
def comparability(request, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema meta; create schema patterns")
    thresholds = load_thresholds(THRESHOLDS_FILE) | {"eligibility_ruleset": (float(request.param), "")}
    con.execute("create table meta.settings (key varchar, value double, description varchar, config_id varchar)")
    con.executemany("insert into meta.settings values (?, ?, ?, 'test')",
                    [(k, v, m) for k, (v, m) in thresholds.items()])
    con.execute("create table patterns.school_evidence (group_key varchar, urn integer, view varchar, "
                "joined_on date, years_in_group double, is_mainstream boolean, as_at date)")
    for group, schools in GROUPS.items():
        for urn, joined, mainstream in schools:
            years = None if joined is None else round((AS_AT - joined).days / 365.25, 2)
            con.execute("insert into patterns.school_evidence values (?, ?, 'own_judgements', ?, ?, ?, ?)",
                        [group, urn, joined, years, mainstream, AS_AT])
    con.execute("alter table patterns.school_evidence add column phase_group varchar")
    con.execute("update patterns.school_evidence set phase_group = case when urn in (select unnest(?)) then 'nursery' "
                "else 'primary' end", [sorted(NURSERY_URNS)])
    con.execute("""create table patterns.group_profile as
        select group_key, group_key as group_name, group_key as display_name, 'multi_academy_trust' as group_kind, true as is_responsible_body,
               count(*) as schools, 100 * count(*) as pupils, count(*) as primary_schools, 0 as nursery_schools,
               0 as secondary_schools, 0 as all_through_schools, 0 as special_schools, 0 as ap_schools,
               1 as las_spanned, 1 as regions_spanned, 'South East' as main_region,
               20.0 as fsm_percent_pupil_weighted
        from patterns.school_evidence group by group_key""")
    build_model(con, next(m for m in discover() if m.table == "patterns.group_comparability"))
    rows = {r[0]: r[1:] for r in con.execute(
        "select group_key, eligible_project, eligible_dfe, eligible, eligibility_ruleset, schools_eligible_dfe, "
        "schools_unknown_join_date from patterns.group_comparability").fetchall()}
    con.close()
    return request.param, rows


def test_each_dfe_clause_and_the_selected_ruleset(comparability):
    ruleset, rows = comparability
    # (eligible_project, eligible_dfe, schools_eligible_dfe, schools_unknown_join_date)
    expected = {"gias:1": (True, True, 3, 0),     # exactly three whole academic years: eligible both ways
                "gias:2": (True, False, 2, 0),    # special school excluded by DfE
                "gias:3": (False, False, 2, 0),   # 2 years 11 months is not 3 years under either rule
                "gias:4": (True, False, 2, 1),    # unknown join date: excluded and reported by DfE
                "gias:5": (True, False, 2, 0)}    # nursery school excluded by DfE
    for group, (project, dfe, n_dfe, unknown) in expected.items():
        got_project, got_dfe, eligible, named, got_n, got_unknown = rows[group]
        assert (got_project, got_dfe, got_n, got_unknown) == (project, dfe, n_dfe, unknown), group
        assert named == ("dfe" if ruleset == 1 else "project")
        assert eligible == (dfe if ruleset == 1 else project), group


# -- DfE's time-in-trust and pupil weights (patterns.school_trajectories, group_capacity, group_outcome_patterns)
BAND_OE = {"strong": 1, "secure": 2, "improvement_needed": 3, "serious_concern": 4}
# urn -> (group, joined_on, mainstream, pupils, [(inspection_start, band)])
WEIGHT_SCHOOLS = {
    101: ("gias:10", date(2023, 9, 1), True, 200, [(date(2023, 3, 1), "secure"), (date(2025, 5, 1), "secure")]),
    102: ("gias:10", date(2022, 9, 1), True, 100, [(date(2022, 1, 10), "improvement_needed"),
                                                   (date(2024, 6, 1), "secure")]),
    103: ("gias:10", date(2019, 9, 1), True, 300, [(date(2019, 3, 1), "secure"),
                                                   (date(2023, 2, 1), "improvement_needed")]),
    104: ("gias:10", date(2023, 12, 1), True, 400, [(date(2023, 6, 1), "secure"),
                                                    (date(2025, 1, 1), "serious_concern")]),
    105: ("gias:10", date(2015, 9, 1), False, 80, [(date(2015, 1, 1), "secure"), (date(2020, 1, 15), "secure")]),
    106: ("gias:10", None, True, 250, [(date(2024, 1, 1), "secure")]),
    107: ("gias:10", date(2020, 9, 1), True, None, [(date(2020, 1, 1), "improvement_needed"),
                                                    (date(2023, 3, 1), "strong")]),
    108: ("gias:10", date(2023, 9, 2), True, 150, []),
    # Outstanding under the exemption before joining: a DfE weight, but left out of the since-joining shares
    109: ("gias:10", date(2018, 9, 1), True, 1000, [(date(2014, 1, 1), "strong"), (date(2022, 5, 1), "secure")]),
    # a group none of whose schools DfE counts: a special school and a recent joiner
    201: ("gias:11", date(2010, 9, 1), False, 60, [(date(2019, 1, 1), "secure")]),
    202: ("gias:11", date(2025, 9, 1), True, 300, [(date(2024, 1, 1), "secure")]),
    203: ("gias:11", date(2025, 9, 1), True, 300, [(date(2024, 2, 1), "strong")]),
}
# what the models must give: urn -> (dfe_years_in_group, dfe_time_weight, dfe_weight)
EXPECTED_DFE = {
    101: (3, 3, 600.0),      # 1 Sep 2023 to 1 Sep 2026: three whole academic years -> weight 3
    102: (4, 4, 400.0),      # four -> 4
    103: (7, 5, 1500.0),     # seven -> 5, the cap
    104: (2, None, None),    # 1 Dec 2023: 2 years 11 months, two whole academic years -> not counted
    105: (11, None, None),   # a special school: not mainstream -> not counted
    106: (None, None, None),  # unknown join date -> not counted
    107: (6, 5, 5.0),        # no pupil count: pupil_weight_missing (1) x 5
    108: (2, None, None),    # joined 2 Sep 2023: its first whole academic year began on 1 Sep 2024
    109: (8, 5, 5000.0),
    201: (16, None, None), 202: (1, None, None), 203: (1, None, None),
}


def weights_world(tmp_path, **overrides) -> duckdb.DuckDBPyConnection:
    """The schools above with their judgements, and the four models that carry DfE's weights built on them."""
    con = duckdb.connect(str(tmp_path / "weights.duckdb"))
    con.execute("create schema meta; create schema core; create schema patterns")
    thresholds = load_thresholds(THRESHOLDS_FILE) | {k: (float(v), "") for k, v in overrides.items()}
    con.execute("create table meta.settings (key varchar, value double, description varchar, config_id varchar)")
    con.executemany("insert into meta.settings values (?, ?, ?, 'test')",
                    [(k, v, m) for k, (v, m) in thresholds.items()])
    missing = thresholds["pupil_weight_missing"][0]
    con.execute("create table core.inspections (inspection_number varchar, overall_effectiveness integer, "
                "reporting_era varchar)")
    con.execute("create table core.inspections_in_context (inspection_number varchar, urn_at_inspection integer, "
                "inspection_start date, outcome_band varchar, is_judgement boolean)")
    con.execute("create table core.school_ancestry as select urn, urn as ancestor_urn from range(0) t(urn)")
    con.execute("create table core.groups (group_key varchar, group_name varchar, display_name varchar, group_kind varchar)")
    con.execute("""create table patterns.school_evidence (group_key varchar, group_kind varchar, urn integer,
        lineage_id integer, view varchar, joined_on date, how_joined varchar, years_in_group double,
        is_mainstream boolean, pupils integer, pupil_weight double, as_at date, inspection_number varchar,
        inspection_start date, outcome_band varchar, band_rank integer, evidence_age_years double,
        latest_evidence_inspection_number varchar, latest_evidence_age_years double, has_category_of_concern boolean,
        beyond_cycle boolean, is_stale boolean, framework_era varchar, relation_to_group varchar)""")
    for urn, (group, joined, mainstream, pupils, judgements) in WEIGHT_SCHOOLS.items():
        con.execute("insert into core.school_ancestry values (?, ?)", [urn, urn])
        numbers = []
        for n, (start, band) in enumerate(judgements):
            number = f"{urn}-{n}"
            numbers.append((number, start, band))
            con.execute("insert into core.inspections values (?, ?, 'overall_effectiveness')", [number, BAND_OE[band]])
            con.execute("insert into core.inspections_in_context values (?, ?, ?, ?, true)", [number, urn, start, band])
        years = None if joined is None else round((AS_AT - joined).days / 365.25, 2)
        for view in ("including_inherited", "own_judgements", "under_group_only"):
            counted = [j for j in numbers if view != "under_group_only" or joined is None or j[1] > joined]
            number, start, band = counted[-1] if counted else (None, None, None)
            age = None if start is None else round((AS_AT - start).days / 365.25, 2)
            relation = None if start is None else ("before_joining" if joined and start <= joined else "under_group")
            con.execute("insert into patterns.school_evidence values "
                        "(?, 'multi_academy_trust', ?, ?, ?, ?, 'joined', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, "
                        "false, false, 'eif', ?)",
                        [group, urn, urn, view, joined, years, mainstream, pupils,
                         missing if pupils is None else pupils, AS_AT, number, start, band,
                         BAND_OE.get(band), age, number, age, relation])
    con.execute("alter table patterns.school_evidence add column phase_group varchar default 'primary'")
    con.execute("insert into core.groups select distinct group_key, group_key, group_key, 'multi_academy_trust' "
                "from patterns.school_evidence")
    con.execute("""create table patterns.group_profile as
        select group_key, group_key as group_name, group_key as display_name, 'multi_academy_trust' as group_kind, true as is_responsible_body,
               count(*) as schools, sum(pupils) as pupils, count(*) as primary_schools, 0 as nursery_schools,
               0 as secondary_schools, 0 as all_through_schools, 0 as special_schools, 0 as ap_schools,
               1 as las_spanned, 1 as regions_spanned, 'South East' as main_region,
               20.0 as fsm_percent_pupil_weighted, 0 as growth_1y, 0 as growth_3y, 0 as growth_5y,
               count(*) as schools_3y_ago
        from patterns.school_evidence where view = 'own_judgements' group by group_key""")
    # no weak joiners here: every column patterns.group_capacity may read from it, left empty
    con.execute("""create table patterns.group_improvement (scope varchar, group_key varchar, weak_joiners integer,
        joiners integer, joiners_not_yet_judged integer, joiners_improved integer, share_improved double,
        effect double, effect_ci_low double, effect_ci_high double, effect_shrunk double, eligible boolean)""")
    models = {m.table: m for m in discover()}
    for table in ("patterns.group_comparability", "patterns.school_trajectories", "patterns.group_capacity",
                  "patterns.group_outcome_patterns"):
        build_model(con, models[table])
    return con


@pytest.fixture
def weights(tmp_path):
    con = weights_world(tmp_path)
    yield con
    con.close()


def test_dfe_time_weights_whole_academic_years_mainstream_only_times_pupils(weights):
    got = {urn: (years, tw, w) for urn, years, tw, w in weights.execute(
        "select urn, dfe_years_in_group, dfe_time_weight, dfe_weight from patterns.school_trajectories").fetchall()}
    assert got == EXPECTED_DFE
    # the project's own time weight is unchanged beside it: decimal years / 5, at most 1, unknown join = full
    own = dict(weights.execute("select urn, time_weight from patterns.school_trajectories").fetchall())
    assert own[101] == pytest.approx(round((AS_AT - date(2023, 9, 1)).days / 365.25, 2) / 5)
    assert own[104] == pytest.approx(round((AS_AT - date(2023, 12, 1)).days / 365.25, 2) / 5)
    assert own[103] == own[106] == 1.0


def test_dfe_weights_count_exactly_the_schools_dfe_eligibility_counts(weights):
    weighted = dict(weights.execute("select group_key, count(dfe_time_weight) from patterns.school_trajectories "
                                    "group by all").fetchall())
    eligible = dict(weights.execute("select group_key, schools_eligible_dfe from patterns.group_comparability"
                                    ).fetchall())
    assert weighted == eligible == {"gias:10": 5, "gias:11": 0}


def test_dfe_weighted_share_maintained_or_improved_by_hand(weights):
    row = weights.execute(
        "select schools_judged_before_and_under, schools_dfe_weighted_before_and_under, dfe_weight_before_and_under, "
        "share_maintained_or_improved_dfe_weighted, share_maintained_or_improved_since_joining "
        "from patterns.group_capacity where group_key = 'gias:10'").fetchall()[0]
    # before and under, no caveat: 101 maintained, 102 improved, 103 declined, 104 declined, 105 maintained,
    # 107 improved (109's Outstanding start is under the exemption, 106 has no join date, 108 no judgement).
    # DfE weights (pupils x time weight): 101 200x3, 102 100x4, 103 300x5, 107 1x5; 104 and 105 none.
    assert row[0] == 6 and row[1] == 4
    assert row[2] == pytest.approx(600 + 400 + 1500 + 5)
    assert row[3] == pytest.approx((600 + 400 + 5) / (600 + 400 + 1500 + 5))
    assert row[4] == pytest.approx(4 / 6)
    # a group with no school DfE counts shows no DfE-weighted share
    assert weights.execute("select schools_dfe_weighted_before_and_under, dfe_weight_before_and_under, "
                           "share_maintained_or_improved_dfe_weighted from patterns.group_capacity "
                           "where group_key = 'gias:11'").fetchall() == [(0, 0, None)]


def test_dfe_weighting_of_outcome_patterns_leaves_out_schools_without_a_dfe_weight(weights):
    rows = {(g, w): r for g, w, *r in weights.execute(
        "select group_key, weighting, schools_in_group, schools_left_out_of_weighting, schools_with_evidence, "
        "suppressed, share_good_or_better, share_weak, schools_in_weakest_band "
        "from patterns.group_outcome_patterns where view = 'own_judgements'").fetchall()}
    assert set(rows) == {(g, w) for g in ("gias:10", "gias:11") for w in ("schools", "pupils", "dfe")}
    # own_judgements: 101 secure, 102 secure, 103 improvement_needed, 107 strong, 109 secure carry DfE weights
    total = 600 + 400 + 1500 + 5 + 5000
    schools_in, left_out, with_evidence, suppressed, good, weak, in_weakest = rows[("gias:10", "dfe")]
    assert (schools_in, left_out, with_evidence, suppressed, in_weakest) == (5, 4, 5, False, 1)
    assert good == pytest.approx((600 + 400 + 5 + 5000) / total)
    assert weak == pytest.approx(1500 / total)
    # the other weightings keep every school; the weakest band there is 104's serious concern
    assert rows[("gias:10", "schools")][:4] == [9, 0, 8, False]
    assert rows[("gias:10", "schools")][4] == pytest.approx(6 / 8)
    assert rows[("gias:10", "schools")][6] == 1
    # no school DfE counts: a 'dfe' row with no schools, suppressed
    assert rows[("gias:11", "dfe")] == [0, 3, 0, True, None, None, None]


def test_earlier_dfe_scheme_caps_the_time_weight_at_four(tmp_path):
    con = weights_world(tmp_path, dfe_time_weight_max_years=4)
    got = dict(con.execute("select urn, dfe_time_weight from patterns.school_trajectories "
                           "where dfe_time_weight is not null").fetchall())
    con.close()
    assert got == {101: 3, 102: 4, 103: 4, 107: 4, 109: 4}
