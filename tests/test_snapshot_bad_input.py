"""A real-format Ofsted latest-inspections file with a school listed twice and a mangled URN: the
snapshot population keeps every row visible (one per school, the duplicate counted, the bad URN
kept with its raw text) and the WARN checks name them; nothing disappears unseen."""

from __future__ import annotations
import pytest

import duckdb
from dagster import materialize

from assets.meta import settings_table
from assets.raw.assets import RAW_ASSETS, source_files
from school_groups.sources.registry import get_source
from assets.sql_models import build_sql_assets
from school_groups.quality import validate_expectations
from school_groups.settings import load_settings
from school_groups.specs import load_specs
from school_groups.sql_runner import build_all, discover
from synthetic.ofsted_files import write_mi_csv

from .conftest import resources_for

pytestmark = pytest.mark.slow


def row(urn: str, number: str, grade: str) -> dict:
    return {"URN": urn, "LAESTAB": "9312000", "Local authority": "Oxfordshire", "Region": "South East",
            "Ofsted phase": "Primary", "Inspection number of latest graded inspection": number,
            "URN at time of latest graded inspection": urn, "Inspection start date": "12/06/2024",
            "Publication date": "20/07/2024", "Overall effectiveness": grade, "Category of concern": "",
            "Previous graded inspection number": "NULL",
            "Latest ungraded inspection number since last graded inspection": "NULL"}


def test_duplicate_and_unparseable_urns_are_kept_and_flagged(tmp_path):
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    mirror.mkdir()
    rows = [row("140001", "10200001", "2"), row("140001", "10200001", "2"), row("14OOO2", "10200002", "3"),
            row("140003", "10200003", "1")]
    write_mi_csv(mirror / "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2024.csv",
                 get_source("ofsted_mi_latest").eras[1].columns, rows, "cp1252")
    upstream = [*RAW_ASSETS, source_files, settings_table]
    result = materialize([*upstream, *build_sql_assets({k for a in upstream for k in a.keys})],
                         resources=resources_for(mirror, home, home / "w.duckdb"), raise_on_error=False)
    # the mangled URN is no school: its inspection has no lineage, and that blocking check stops the run
    failed = {(e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations() if not e.passed}
    assert ("core/inspections", "every_inspection_has_a_lineage") in failed and not result.success
    con = duckdb.connect(str(home / "w.duckdb"))
    try:
        listed = con.execute("select urn, urn_raw, duplicate_rows, la_code from staging.ofsted_school_snapshots "
                             "order by urn_raw").fetchall()
        assert listed == [(140001, "140001", 2, "931"), (140003, "140003", 1, "931"), (None, "14OOO2", 1, "931")]
        spec = load_specs()["staging.ofsted_school_snapshots"]
        outcomes = {o.name: o for o in validate_expectations(spec, con, load_settings().thresholds)}
        assert not outcomes["urn_not_null"].passed and not outcomes["listed_once_per_file"].passed
        assert outcomes["listed_once_per_file"].metadata["failing_examples"] == [2]
        # past the gate, by hand: the shares count each listed school once; the mangled URN is not silently a school
        present = set(con.execute("select schema_name, table_name from duckdb_tables()").fetchall())
        build_all(con, [m for m in discover() if (m.layer, m.name) not in present], present)
        assert con.execute("select schools, schools_judged_in_era, schools_with_outcome from patterns.area_outcome_shares "
                           "where area_level = 'england' and view = 'own_judgements' "
                           "and measure = 'overall_effectiveness' and outcome = 'good_or_outstanding'").fetchall() == [(2, 2, 2)]
    finally:
        con.close()
