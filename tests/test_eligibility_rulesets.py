"""Eligibility for group-level comparison under the two rulesets, on hand-built rows: the project's
rule and DfE's MAT-measure rule (mainstream schools, whole academic years, unknown join dates left
out), each clause a case of its own."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines.sql_models import build_model, discover
from pipelines.settings import THRESHOLDS_FILE, load_thresholds

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
}


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
            con.execute("insert into patterns.school_evidence values (?, ?, 'all_current', ?, ?, ?, ?)",
                        [group, urn, joined, years, mainstream, AS_AT])
    con.execute("""create table patterns.group_profile as
        select group_key, group_key as group_name, 'multi_academy_trust' as group_kind, true as is_responsible_body,
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
                "gias:4": (True, False, 2, 1)}    # unknown join date: excluded and reported by DfE
    for group, (project, dfe, n_dfe, unknown) in expected.items():
        got_project, got_dfe, eligible, named, got_n, got_unknown = rows[group]
        assert (got_project, got_dfe, got_n, got_unknown) == (project, dfe, n_dfe, unknown), group
        assert named == ("dfe" if ruleset == 1 else "project")
        assert eligible == (dfe if ruleset == 1 else project), group
