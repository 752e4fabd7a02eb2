"""The data-quality gate: checks from the table specs, quarantine, publish only when clean.

Each test runs the real ``full_refresh`` job (assets and every generated check) on a mirror
built from the bundled real excerpts, with one bad-input case added.
"""

import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest
from dagster import DagsterInstance

from pipelines.dq_report import render
from school_groups.specs import load_specs

from .conftest import LINKS_FILE, SAMPLE, published_hashes, query

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A mirror copied from the real excerpts, a fresh home, one Dagster instance for all runs."""
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    shutil.copytree(SAMPLE, mirror)
    monkeypatch.setenv("SCHOOL_GROUPS_SOURCE", str(mirror))
    monkeypatch.setenv("SCHOOL_GROUPS_HOME", str(home))
    with DagsterInstance.ephemeral() as instance:
        yield mirror, home, instance


def run(instance):
    from pipelines.build import build_defs

    return build_defs().resolve_job_def("full_refresh").execute_in_process(instance=instance, raise_on_error=False)


def evaluations(result) -> dict[str, bool]:
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e.passed for e in result.get_asset_check_evaluations()}


def test_every_core_table_has_expectations_and_checks():
    unchecked = [t for t, spec in load_specs().items() if spec.layer == "core" and not spec.checks]
    assert not unchecked


def test_good_run_publishes_then_a_collapsed_snapshot_is_blocked_and_nothing_published_changes(env):
    mirror, home, instance = env
    good = run(instance)
    assert good.success
    before = published_hashes(home)
    assert {"published.duckdb", "core__schools.parquet", "core__inspections_in_context.parquet"} <= set(before)
    con = duckdb.connect(str(home / "published" / "published.duckdb"), read_only=True)
    assert con.execute("select run_id from meta.publication").fetchall() == [(good.run_id,)]
    # every published table and column carries its description from the specs
    uncommented = con.execute("select schema_name || '.' || table_name || coalesce('.' || column_name, '') "
                              "from duckdb_columns() where database_name = 'published' and comment is null "
                              "union all select schema_name || '.' || table_name from duckdb_tables() "
                              "where database_name = 'published' and comment is null").fetchall()
    assert uncommented == []
    assert con.execute("select count(*) from duckdb_tables() where database_name = 'published'").fetchall()[0][0] > 30
    con.close()

    # A new links snapshot with half its rows gone.
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    (mirror / "links_edubasealldata20250423.csv").write_bytes(b"\r\n".join(lines[: len(lines) // 2]))
    bad = run(instance)
    assert not bad.success
    assert evaluations(bad)["raw/gias_links:row_count_within_drift_of_previous_snapshot"] is False
    assert published_hashes(home) == before                                  # byte-identical
    report = render(instance, bad.run_id)
    assert "| raw.gias_links | row_count_within_drift_of_previous_snapshot | FAILED | ERROR |" in report


def test_row_level_problems_are_quarantined_with_their_reason(env):
    mirror, home, _ = env
    instance = env[2]
    path = mirror / "edubasealldata20260105.csv"
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    header = lines[0].split('","')
    open_col = header.index("OpenDate")

    def with_open_date(line: str, value: str) -> str:
        import csv
        import io

        fields = next(csv.reader([line]))
        fields[open_col] = value
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
        return out.getvalue()

    lines = [lines[0], lines[1], lines[1], with_open_date(lines[2], "31/02/2020"),
             with_open_date(lines[3], "01-01-2099"), *lines[4:]]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    result = run(instance)
    assert evaluations(result)["staging/gias_establishments:rows_conserved_from_raw"] is True
    rules = dict(query(home, "select rule, reason from quarantine.gias_establishments order by source_row"))
    assert set(rules) == {"duplicate_key", "malformed_date", "date_in_future"}
    assert "appears 2 times in this snapshot" in rules["duplicate_key"]
    assert '"31/02/2020"' in rules["malformed_date"] and '"01-01-2099"' in rules["date_in_future"]
    # nothing vanished: raw rows = staged + quarantined
    assert query(home, "select (select count(*) from raw.gias_establishments) - "
                       "(select count(*) from staging.gias_establishments) - "
                       "(select count(*) from quarantine.gias_establishments)") == [(0,)]
    # orphan links: trust links of schools no edubasealldata file knows
    orphans = query(home, "select rule, reason from quarantine.gias_group_links limit 1")
    assert orphans[0][0] == "orphan_link" and "is in no edubasealldata snapshot" in orphans[0][1]


def test_spreadsheet_resave_unknown_codes_and_out_of_order_snapshots_are_reported(env):
    mirror, home, instance = env
    # allgroupsdata re-saved by a spreadsheet: quotes gone, "06" -> "6", "02236171" -> "2236171"
    original = (mirror / "allgroupsdata20231101.csv").read_bytes().decode("cp1252").rstrip("\r\n").split("\r\n")
    resaved = [line.replace('"', "").replace(",01,Federation,", ",1,Federation,") for line in original]
    resaved.append("5143,TR01234,United Learning Trust,2236171,6,Multi-academy trust,,,01/01/2004,OPEN,Open,,,,,"
                   "Not recorded,,,,,")
    (mirror / "allgroupsdata20231201.csv").write_bytes(("\r\n".join(resaved) + "\r\n").encode("cp1252"))
    # an unknown link type
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b'"Predecessor - merged"', b'"Twinned"')
    (mirror / "links_edubasealldata20250424.csv").write_bytes(b"\r\n".join(lines))
    result = run(instance)
    checks = evaluations(result)
    assert query(home, "select group_kind, companies_house_number from core.groups where group_uid = 5143") == [
        ("multi_academy_trust", "02236171")]            # "6" still read as 06; the lost zero padded back
    assert checks["staging/gias_groups:companies_house_numbers_repaired"] is False      # and the repair listed
    assert checks["core/groups:companies_house_number_has_8_characters"] is True
    assert checks["staging/gias_links:link_type_known_values"] is False
    evaluation = next(e for e in result.get_asset_check_evaluations() if e.check_name == "link_type_known_values")
    assert "Twinned" in evaluation.metadata["failing_examples"].value

    # An older snapshot arriving after a newer one is flagged.
    older = LINKS_FILE.read_bytes().replace(b"Rhyl Community", b"Rhyl Council")
    (mirror / "links_edubasealldata20250101.csv").write_bytes(older)
    later = run(instance)
    assert evaluations(later)["raw/source_files:snapshots_loaded_in_date_order"] is False


READER = textwrap.dedent("""
    import sys, time, duckdb
    path, stop = sys.argv[1], sys.argv[2]
    ok = errors = 0
    deadline = time.time() + 300
    import os
    while not os.path.exists(stop) and time.time() < deadline:
        try:
            con = duckdb.connect(path, read_only=True)
            con.execute("select count(*) from core.schools").fetchall()
            con.close()
            ok += 1
        except Exception as exc:
            errors += 1
            print("ERROR", exc, file=sys.stderr)
        time.sleep(0.05)
    print(ok, errors)
    sys.exit(1 if errors or not ok else 0)
""")


def test_readers_use_published_duckdb_while_a_run_writes(env):
    mirror, home, instance = env
    assert run(instance).success
    stop = home / "stop-reading"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(home / "published" / "published.duckdb"), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        (mirror / "links_edubasealldata20250425.csv").write_bytes(LINKS_FILE.read_bytes().replace(b"Rhyl", b"Rhyll"))
        second = run(instance)                       # writes the warehouse, then republishes
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert second.success
    assert reader.returncode == 0, err
    reads, errors = map(int, out.split())
    assert reads > 5 and errors == 0
    con = duckdb.connect(str(home / "published" / "published.duckdb"), read_only=True)
    assert con.execute("select run_id from meta.publication").fetchall() == [(second.run_id,)]
    con.close()
