"""What an inspection means, on the real Ofsted files: whose it is, what kind it is, how recent the
evidence is, and which school it can count for.

The mirror holds the real Oxfordshire official statistics (31 Dec 2017), the real MI excerpts
(latest inspections 31 Aug 2024 and 30 June 2026, in-year 2024/25 and 2025/26) and the real
national GIAS links file (22 Apr 2025). GIAS establishments and trust links are hand-built in
GIAS's own format for the few schools the cases need, because the real excerpts do not cover
them: St Gregory the Great Catholic School (URN 139528, an academy in a trust from 1 Apr 2013,
closed in 2020 when, per the real links file, its parts went to Greyfriars Catholic School
(146800, "Successor") and St Frideswide CE Primary (148247, "Successor - merged")), and a
hand-built MI latest-inspections file as at 31 Aug 2021 that lists those two successors.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date

import duckdb
import pytest
from school_groups.sources.registry import get_source
from synthetic.gias_files import quote_all_csv, write_gias_csv
from synthetic.ofsted_files import write_mi_csv

from .conftest import LINKS_FILE, SAMPLE, materialize_mirror

pytestmark = pytest.mark.slow

OXFORDSHIRE_2017 = SAMPLE / "maintained-schools-and-academies-inspections-and-outcomes-as-at-31-december-2017-oxfordshire.csv"
REAL_OFSTED = [OXFORDSHIRE_2017, *SAMPLE.glob("Management_information_-_state-funded_schools_-_*.csv")]
TRUST = 9001   # hand-built: the trust St Gregory's belonged to (the real excerpts do not name it)
# urn: (name, type code, type name, open, close, trust uid or None, LA code), per GIAS snapshot
GIAS = {
    date(2017, 9, 1): {139528: ("St Gregory the Great Catholic School", "34", "Academy converter", "01-04-2013", "",
                                TRUST, "931")},
    date(2021, 9, 1): {146800: ("Greyfriars Catholic School", "34", "Academy converter", "01-01-2021", "", TRUST, "931"),
                       148247: ("St Frideswide Church of England Primary School", "03",
                                "Voluntary controlled school", "01-11-2020", "", None, "931")},
}
JOINED = {139528: "01/04/2013", 146800: "01/01/2021"}


def write_gias(out, day, schools):
    n = len(schools)
    cols = {k: [] for k in ("URN", "LA (code)", "LA (name)", "EstablishmentName", "TypeOfEstablishment (code)",
                            "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)", "EstablishmentStatus (name)",
                            "OpenDate", "CloseDate", "PhaseOfEducation (name)", "TrustSchoolFlag (name)",
                            "Trusts (code)", "Trusts (name)", "GOR (code)", "GOR (name)")}
    for urn, (name, tcode, tname, opened, closed, trust, la) in schools.items():
        for key, value in {"URN": urn, "LA (code)": la, "LA (name)": "Oxfordshire", "EstablishmentName": name,
                           "TypeOfEstablishment (code)": tcode, "TypeOfEstablishment (name)": tname,
                           "EstablishmentTypeGroup (code)": "10" if trust else "4", "EstablishmentStatus (name)": "Open",
                           "OpenDate": opened, "CloseDate": closed, "PhaseOfEducation (name)": "Secondary",
                           "TrustSchoolFlag (name)": "Supported by a multi-academy trust" if trust else "Not applicable",
                           "Trusts (code)": trust or "", "Trusts (name)": "Hand-built Catholic Trust" if trust else "",
                           "GOR (code)": "J", "GOR (name)": "South East"}.items():
            cols[key].append(value)
    write_gias_csv(out / f"edubasealldata{day:%Y%m%d}.csv", get_source("gias_establishments").eras[0].columns, cols, n)
    members = [u for u, s in schools.items() if s[5]]
    quote_all_csv(out / f"alllinksdata{day:%Y%m%d}.csv", get_source("gias_group_links").eras[0].columns,
                  {"URN": members, "Group UID": [TRUST] * len(members),
                   "Group Name": ["Hand-built Catholic Trust"] * len(members),
                   "Group Type (code)": ["06"] * len(members), "Group Type": ["Multi-academy trust"] * len(members),
                   "Joined date": [JOINED[u] for u in members]}, len(members))
    quote_all_csv(out / f"allgroupsdata{day:%Y%m%d}.csv", get_source("gias_groups").eras[0].columns,
                  {"Group UID": [TRUST], "Group Name": ["Hand-built Catholic Trust"], "Group Type (code)": ["06"],
                   "Group Type": ["Multi-academy trust"], "Group Status": ["Open"],
                   "Incorporated on (open date)": ["01/04/2013"]}, 1)


def write_latest_2021(out):
    """MI latest inspections as at 31 Aug 2021 (EIF layout) listing the two successors, neither
    yet inspected in its current form and with no predecessor inspection carried."""
    header = get_source("ofsted_mi_latest").eras[1].columns
    rows = [{**{h: "NULL" for h in header}, "URN": urn, "LAESTAB": f"931{urn % 10000}", "School name": name,
             "Ofsted phase": "Secondary", "Local authority": "Oxfordshire", "Region": "South East",
             "Did the latest ungraded inspection convert to a graded inspection?": "", "Category of concern": ""}
            for urn, (name, *_rest) in GIAS[date(2021, 9, 1)].items()]
    write_mi_csv(out / "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2021.csv",
                 header, rows, "cp1252")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    mirror, home = tmp_path_factory.mktemp("evidence-mirror"), tmp_path_factory.mktemp("evidence-home")
    for path in [LINKS_FILE, *REAL_OFSTED]:
        shutil.copy(path, mirror)
    for day, schools in GIAS.items():
        write_gias(mirror, day, schools)
    write_latest_2021(mirror)
    database = materialize_mirror(mirror, home, ("raw", "meta", "staging", "quarantine", "core", "patterns"))
    con = duckdb.connect(str(database), read_only=True)
    yield con
    con.close()


def oxfordshire_rows():
    with open(OXFORDSHIRE_2017, encoding="cp1252", newline="") as fh:
        return list(csv.DictReader(fh))


def test_an_academy_inspected_after_it_opened_owns_its_inspection(warehouse):
    # St Gregory the Great: predecessor 133644 on every row, academy since 01/04/2013, special measures 15/03/2017
    row = next(r for r in oxfordshire_rows() if r["Inspection number"] == "10032876")
    assert (row["URN"], row["Predecessor URN"], row["Provider open date - QA"]) == ("139528", "133644", "01/04/2013")
    got = warehouse.execute(
        "select i.urn_at_inspection, i.attribution_rule, i.inspection_kind, i.category_of_concern, c.body_at_inspection "
        "from core.inspections i join core.inspections_in_context c using (inspection_number) "
        "where inspection_number = '10032876'").fetchall()
    assert got == [(139528, "official_stats_own_by_open_date", "graded", "SM", f"gias:{TRUST}")]
    # the same rule, decided by date, files a pre-conversion latest inspection under the predecessor
    rules = dict(warehouse.execute(
        "select attribution_rule, count(*) from core.inspections where source_file like 'maintained-schools%' "
        "group by 1").fetchall())
    carried = [r for r in oxfordshire_rows() if r["Predecessor URN"] not in ("", "NULL")
               and r["Inspection number"] not in ("", "NULL")
               and date(*map(int, reversed(r["Inspection start date"].split("/"))))
               < date(*map(int, reversed(r["Provider open date - QA"].split("/"))))]
    assert len(carried) == 61 and rules["official_stats_predecessor_by_open_date"] >= len(carried)


def test_oxfordshire_own_and_inherited_shares_match_the_raw_file(warehouse):
    got = dict(warehouse.execute(
        "select view, (schools_judged_in_era, schools_with_outcome) from patterns.area_outcome_shares "
        "where as_at = '2017-12-31' and area_level = 'local_authority' and area_name = 'Oxfordshire' "
        "and measure = 'overall_effectiveness' and outcome = 'good_or_outstanding'").fetchall())
    assert got == {"own_judgements": (229, 203), "including_inherited": (290, 259)}


def test_a_monitoring_visit_is_evidence_not_a_judgement(warehouse):
    # 10353864: "Requires Improvement monitoring Visit 1", quality of education "9" in the real file
    kind, judgement, band = warehouse.execute(
        "select inspection_kind, is_judgement, outcome_band from core.inspections where inspection_number = '10353864'"
    ).fetchall()[0]
    assert (kind, judgement, band) == ("monitoring", False, "not_graded")
    counted = warehouse.execute("select count(*) from patterns.snapshot_judgements "
                                "where inspection_number = '10353864'").fetchall()[0][0]
    assert counted == 0
    kinds = {r[0] for r in warehouse.execute("select distinct inspection_kind from core.inspections").fetchall()}
    assert kinds <= {"graded", "report_card", "ungraded", "monitoring", "urgent_no_formal_designation"}


def test_recency_counts_ungraded_inspections_and_they_confirm_a_standing(warehouse):
    # URN 100009: graded 2012, "School remains Good" at an ungraded inspection on 23 Mar 2022
    row = warehouse.execute(
        "select judgement_age_years, latest_evidence_kind, latest_evidence_start, is_stale "
        "from patterns.snapshot_judgements where urn = 100009 and as_at = '2024-08-31' and view = 'own_judgements'"
    ).fetchall()[0]
    assert row[0] > 12 and row[1:] == ("ungraded", date(2022, 3, 23), False)
    stale, judged, old_judgement = warehouse.execute(
        "select count(*) filter (where is_stale), count(inspection_number), "
        "count(*) filter (where judgement_age_years > 5) from patterns.snapshot_judgements "
        "where as_at = '2024-08-31' and view = 'own_judgements'").fetchall()[0]
    assert judged == 18 and old_judgement >= 8 and stale < old_judgement
    # URN 100022, Outstanding (Oct 2019), "Standards maintained" on 18 Dec 2024: confirms Outstanding
    assert warehouse.execute(
        "select inspection_kind, ungraded_outcome, standing_confirmed, confirms_inspection_number, outcome_band "
        "from core.inspections where urn_at_inspection = 100022 and inspection_start = '2024-12-18'").fetchall() == [
        ("ungraded", "Standards maintained", "Outstanding", "10110169", "strong")]


def test_no_overall_effectiveness_figure_after_august_2024(warehouse):
    late = warehouse.execute(
        "select count(*) from patterns.area_outcome_shares where measure = 'overall_effectiveness' "
        "and as_at > '2024-08-31'").fetchall()[0][0]
    assert late == 0
    # and the measures after that date are on their own scales: key judgements or report-card grades
    after = warehouse.execute(
        "select distinct reporting_era, outcome from patterns.area_outcome_shares where as_at > '2024-08-31'").fetchall()
    assert after and all(era in ("key_judgements", "report_card") for era, _ in after)
    assert {o for era, o in after if era == "report_card"} <= {
        "Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement", "Met", "Not met"}


def test_a_judgement_never_reaches_a_sibling_or_two_open_schools(warehouse):
    # St Gregory's (139528) two successors are both open in 2021: its judgement counts for neither
    ancestors = warehouse.execute("select urn, ancestor_urn from core.school_ancestry "
                                  "where urn in (146800, 148247) and generations > 0 order by 1, 2").fetchall()
    assert ancestors == [(146800, 133644), (146800, 139528), (148247, 133644), (148247, 139528)]
    assert not warehouse.execute("select 1 from core.school_ancestry where urn = 146800 and ancestor_urn = 148247 "
                                 "or urn = 148247 and ancestor_urn = 146800").fetchall()
    listed = warehouse.execute("select urn, inspection_number from patterns.snapshot_judgements "
                               "where as_at = '2021-08-31' order by urn").fetchall()
    assert listed == [(146800, None), (146800, None), (148247, None), (148247, None)]
    assert_no_inspection_counts_twice(warehouse)


def test_split_links_give_no_ancestry_and_undirected_lineages_had_many_end_points(warehouse):
    # in the real links file a split school's judgement describes neither part
    split = warehouse.execute("select count(*) from staging.gias_links where link_type ilike '%split%'").fetchall()[0][0]
    assert split > 0
    via_split = warehouse.execute(
        "select count(*) from core.school_ancestry a join staging.gias_links l on l.urn = a.urn "
        "and l.link_urn = a.ancestor_urn and l.link_type = 'Predecessor - Split School' "
        "where a.generations = 1 and not exists (select 1 from staging.gias_links o where o.urn = a.urn "
        "and o.link_urn = a.ancestor_urn and o.link_type not ilike '%split%')").fetchall()[0][0]
    assert via_split == 0
    # the old undirected lineages: over a hundred with two or more end points (schools with no successor)
    multi_end = warehouse.execute("""
        with ends as (select urn from core.school_lineage l where lineage_size > 1 and not exists (
            select 1 from core.school_ancestry a where a.ancestor_urn = l.urn and a.generations > 0))
        select count(*) from (select lineage_id from core.school_lineage join ends using (urn)
                              group by lineage_id having count(*) >= 2)""").fetchall()[0][0]
    assert multi_end > 100


def assert_no_inspection_counts_twice(con):
    """The acceptance rule: on no date does one inspection count for two listed (open) schools."""
    twice = con.execute("""select as_at, source_family, view, inspection_number, count(distinct urn)
                           from patterns.snapshot_judgements where inspection_number is not null
                           group by all having count(distinct urn) > 1""").fetchall()
    assert twice == []
    twice_now = con.execute("""select view, inspection_number, count(distinct urn) from patterns.school_evidence
                               where inspection_number is not null group by all having count(distinct urn) > 1""").fetchall()
    assert twice_now == []
