"""End to end: materialise the raw layer from a mirror, from 'live' (local server) and via the demo."""

import os
import pytest
import shutil
import subprocess
import sys
from datetime import date

import duckdb
from dagster import materialize

from assets.raw.assets import RAW_ASSETS, source_files
from school_groups.raw.reader import parse
from school_groups.sources.registry import SOURCES, GiasDatedUrl, match_file
from .conftest import LINKS_FILE, ROOT, SAMPLE, Reply, resources_for
from .govuk import serve_mi_page, serve_official_stats

pytestmark = pytest.mark.slow

ALL_ASSETS = [*RAW_ASSETS, source_files]


def run(tmp_path, source: str, **overrides):
    return materialize(ALL_ASSETS, resources=resources_for(source, tmp_path, **overrides), raise_on_error=False)


def table_counts(tmp_path) -> dict[str, int]:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        return {s.name: con.execute(f"select count(*) from {s.table}").fetchall()[0][0]
                for s in SOURCES}
    finally:
        con.close()


def query(tmp_path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def expected_rows(directory) -> dict[str, int]:
    """Rows per source, counted by parsing each file on its own."""
    counts = {s.name: 0 for s in SOURCES}
    for path in directory.iterdir():
        if hit := match_file(path.name):
            counts[hit[0].name] += parse(path, hit[0]).rows
    return counts


def links_mirror(tmp_path):
    """A mirror directory holding just the real national links file, and a fresh home."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(LINKS_FILE, mirror)
    return mirror, tmp_path / "home"


def test_mirror_twice_gives_identical_tables(tmp_path):
    mirror = tmp_path / "mirror"
    shutil.copytree(SAMPLE, mirror)
    home = tmp_path / "home"
    first = run(home, str(mirror))
    assert first.success
    counts = table_counts(home)
    assert counts == expected_rows(mirror)
    assert all(n > 0 for n in counts.values()), counts

    second = run(home, str(mirror))
    assert second.success
    assert table_counts(home) == counts
    statuses = query(home, "select distinct status from raw.source_files")
    assert statuses == [("loaded",)]
    loaded_again = [m.metadata["snapshots_loaded_this_run"].value
                    for m in second.asset_materializations_for_node("raw__gias_links")]
    assert loaded_again == [0]
    # history accumulates: three edubasealldata layouts side by side, columns unioned by name
    snaps = query(home, 'select _snapshot_date, count(*), count("HeadHonours"), count("AccreditationExpiryDate") '
                        "from raw.gias_establishments group by 1 order by 1")
    assert [(d.isoformat(), n) for d, n, *_ in snaps] == [("2017-09-01", 9), ("2024-05-01", 8), ("2026-01-05", 10)]
    assert snaps[0][2] == 9 and snaps[0][3] == 0 and snaps[2][2] == 0 and snaps[2][3] == 10


def test_mirror_holding_only_the_links_file(tmp_path):
    mirror, home = links_mirror(tmp_path)
    assert run(home, str(mirror)).success
    assert query(home, "select count(*), count(distinct _row_number), min(_source_file) from raw.gias_links") == [
        (33_801, 33_801, "links_edubasealldata20250422.csv")]
    assert query(home, "select count(*) from raw.gias_links where \"LinkName\" = "
                       "'St Thomas à Becket Catholic Secondary School, A Voluntary Academy'") == [(1,)]
    manifest = query(home, "select source, snapshot_date, bytes, sha256, mode, encoding from raw.source_files")
    import hashlib
    assert manifest == [("gias_links", date(2025, 4, 22), 2_394_026,
                         hashlib.sha256(LINKS_FILE.read_bytes()).hexdigest(), "mirror", "cp1252")]


def test_a_bad_new_snapshot_fails_and_leaves_loaded_history_intact(tmp_path):
    mirror, home = links_mirror(tmp_path)
    assert run(home, str(mirror)).success
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    lines[100] += b',"stray"'
    (mirror / "links_edubasealldata20250423.csv").write_bytes(b"\r\n".join(lines))
    result = run(home, str(mirror))
    assert not result.success
    failure = [e for e in result.all_events if e.is_step_failure][0]
    assert "links_edubasealldata20250423.csv, row 100, line 101" in failure.step_failure_data.error.cause.message
    assert query(home, "select _snapshot_date, count(*) from raw.gias_links group by 1") == [
        (date(2025, 4, 22), 33_801)]


def test_live_mode_against_local_gias_and_govuk(local_server, tmp_path):
    today = date.today()
    gias_files = {
        "edubasealldata": "edubasealldata20260105.csv",
        "links_edubasealldata": "links_edubasealldata20250422.csv",
        "allgroupsdata": "allgroupsdata20231101.csv",
        "alllinksdata": "alllinksdata20250801.csv",
        "grouplinks_edubaseallacademiesandfree": "grouplinks_edubaseallacademiesandfree20250801.csv",
    }
    stems = {s.locator.stem for s in SOURCES if isinstance(s.locator, GiasDatedUrl)}
    assert stems == set(gias_files)
    for stem, sample in gias_files.items():
        local_server.route(f"/edubase/downloads/public/{stem}{today:%Y%m%d}.csv",
                           Reply(body=(SAMPLE / sample).read_bytes()))
    mi_urls = serve_mi_page(local_server)
    serve_official_stats(local_server)
    overrides = {"gias_base_url": local_server.base_url + "/edubase/downloads/public/",
                 "govuk_base_url": local_server.base_url}
    home = tmp_path / "home"
    assert run(home, "live", **overrides).success
    counts = table_counts(home)
    assert counts["gias_links"] == 33_801 and counts["gias_establishments"] == 10
    assert counts["ofsted_mi_latest"] == 18 + 21 and counts["ofsted_official_stats"] == 299
    origins = dict(query(home, "select file_name, origin from raw.source_files"))
    assert origins[f"links_edubasealldata{today:%Y%m%d}.csv"].startswith(local_server.base_url + "/edubase/")
    assert set(mi_urls) <= set(origins.values())
    assert (home / "downloads" / "gias_links" / f"links_edubasealldata{today:%Y%m%d}.csv").read_bytes() \
        == LINKS_FILE.read_bytes()

    # Second run: MI attachments already loaded are not fetched again; GIAS is, but unchanged.
    assert run(home, "live", **overrides).success
    assert table_counts(home) == counts
    assert all(local_server.hits(url.removeprefix(local_server.base_url)) == 1 for url in mi_urls)
    assert local_server.hits(f"/edubase/downloads/public/links_edubasealldata{today:%Y%m%d}.csv") == 2


def demo(home, *args) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHOOL_GROUPS_", "DAGSTER_HOME"))}
    env["SCHOOL_GROUPS_HOME"] = str(home)
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "succeeded" in done.stdout
    assert f"warehouse:    {home / 'warehouse.duckdb'}" in done.stdout
    assert (home / "dagster_home" / "dagster.yaml").exists()
    return done.stdout


def printed_rows(out: str, table: str) -> int:
    line = next(line for line in out.splitlines() if line.startswith(table + " "))
    return int(line.split()[1].replace(",", ""))


@pytest.mark.national
def test_demo_runs_the_national_scale_sample_by_default(tmp_path):
    out = demo(tmp_path)
    mirror = tmp_path / "mirror-national-42"
    assert f"sample: synthetic national-scale mirror, seed 42, at {mirror}" in out
    expected = expected_rows(mirror)
    for source in SOURCES:
        assert printed_rows(out, source.table) == expected[source.name] > 0
    assert printed_rows(out, "raw.gias_establishments") > 100_000       # three national snapshots


def test_demo_on_the_bundled_real_excerpts(tmp_path):
    out = demo(tmp_path, "--sample", "real")
    assert "sample: the bundled real excerpts" in out
    assert printed_rows(out, "raw.gias_links") == 33_801


def test_a_republished_snapshot_replaces_only_that_snapshot(tmp_path):
    mirror, home = links_mirror(tmp_path)
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    (mirror / "links_edubasealldata20250101.csv").write_bytes(b"\r\n".join(lines[:1001]))
    assert run(home, str(mirror)).success
    assert query(home, "select _snapshot_date, count(*) from raw.gias_links group by 1 order by 1") == [
        (date(2025, 1, 1), 1000), (date(2025, 4, 22), 33_801)]
    # the same date published again with different content: replaced, not appended
    (mirror / "links_edubasealldata20250101.csv").write_bytes(b"\r\n".join(lines[:501]))
    assert run(home, str(mirror)).success
    assert query(home, "select _snapshot_date, count(*) from raw.gias_links group by 1 order by 1") == [
        (date(2025, 1, 1), 500), (date(2025, 4, 22), 33_801)]
    assert query(home, "select rows from raw.source_files where snapshot_date = '2025-01-01'") == [(500,)]
