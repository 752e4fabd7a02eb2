"""The synthetic mirror follows the real format rules, loads like real files, and is reproducible."""

import csv
import io
import json
import re
from datetime import date

import pytest

from assets.raw.reader import parse
from assets.sources.registry import SOURCES, match_file
from synthetic import gias_files
from synthetic.generate import TRUTH_FILE, generate
from synthetic.world import build_world

from .test_pipeline import expected_rows, run, table_counts

GIAS = {s.name for s in SOURCES if s.publisher_group == "gias"}
REAL_TYPES = {  # TypeOfEstablishment code -> name, from GIAS's 2025-04-22 establishment types
    "01": "Community school", "02": "Voluntary aided school", "03": "Voluntary controlled school",
    "05": "Foundation school", "07": "Community special school", "11": "Other independent school",
    "14": "Pupil referral unit", "15": "Local authority nursery school", "28": "Academy sponsor led",
    "33": "Academy special sponsor led", "34": "Academy converter", "35": "Free schools", "36": "Free schools special",
    "38": "Free schools alternative provision", "39": "Free schools 16 to 19",
    "42": "Academy alternative provision converter", "43": "Academy alternative provision sponsor led",
    "44": "Academy special converter", "45": "Academy 16-19 converter", "46": "Academy 16 to 19 sponsor led"}
GROUP_TYPES = {"01": "Federation", "02": "Trust", "05": "School sponsor", "06": "Multi-academy trust",
               "10": "Single-academy trust"}


@pytest.fixture(scope="module")
def small_mirror(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    truth = generate("small", 7, out)
    return out, truth


def files_of(mirror, source_name):
    """The source's files in the mirror, oldest snapshot first."""
    found = [(hit[1], p) for p in mirror.iterdir() if (hit := match_file(p.name)) and hit[0].name == source_name]
    return [p for _, p in sorted(found)]


def test_every_file_has_a_real_header_and_every_source_is_written(small_mirror):
    mirror, truth = small_mirror
    seen = set()
    for path in sorted(mirror.glob("*.csv")):
        source, _ = match_file(path.name)
        parsed = parse(path, source)
        assert parsed.era is not None, f"{path.name}: header matches no real layout"
        assert tuple(parsed.header) in {era.columns for era in source.eras}
        assert parsed.rows > 0
        seen.add(source.name)
    assert seen == {s.name for s in SOURCES}
    assert set(truth["files"]) == {p.name for p in mirror.glob("*.csv")}


def test_gias_dialect_cp1252_crlf_quoting_and_dates(small_mirror):
    mirror, _ = small_mirror
    for name in GIAS:
        for path in files_of(mirror, name):
            data = path.read_bytes()
            text = data.decode("cp1252")
            assert text.encode("cp1252") == data
            assert b"\n" not in data.replace(b"\r\n", b"")            # CRLF only
            header = text.split("\r\n", 1)[0]
            assert header == ",".join(f'"{h}"' for h in next(csv.reader([header])))   # every name quoted
            date_sep = "/" if name in ("gias_groups", "gias_group_links") else "-"
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            date_cols = [c for c in rows[0] if re.search(r"[Dd]ate$|date\)$", c) and c != "CensusDate"]
            for row in rows:
                for col in date_cols:
                    assert row[col] == "" or re.fullmatch(rf"\d\d{re.escape(date_sep)}\d\d{re.escape(date_sep)}\d{{4}}",
                                                          row[col]), (path.name, col, row[col])
    # non-ASCII names survive the Windows-1252 round trip
    establishments = files_of(mirror, "gias_establishments")[-1].read_bytes().decode("cp1252")
    assert re.search(r"[àéëôñ]", establishments)


def test_integer_fields_unquoted_codes_quoted(small_mirror):
    mirror, _ = small_mirror
    path = files_of(mirror, "gias_establishments")[-1]
    line = path.read_bytes().decode("cp1252").split("\r\n")[1]
    assert re.match(r'^\d{6},"\d{3}",', line)                      # URN bare, LA (code) quoted
    links = files_of(mirror, "gias_academy_trust_links")[-1].read_bytes().decode("cp1252").split("\r\n")
    assert len(next(csv.reader([links[0]]))) == 21 and len(next(csv.reader([links[1]]))) == 20
    assert re.match(r'^\d{6},\d+,"', links[1])                      # URN and Linked UID bare
    groups = files_of(mirror, "gias_groups")[-1].read_bytes().decode("cp1252").split("\r\n")
    assert re.match(r'^"\d+","', groups[1])                         # allgroupsdata quotes everything


def test_code_and_name_pairs_are_consistent(small_mirror):
    mirror, _ = small_mirror
    est = parse(files_of(mirror, "gias_establishments")[-1], SOURCES[0]).table
    pairs = set(zip(est.column("TypeOfEstablishment (code)").to_pylist(), est.column("TypeOfEstablishment (name)").to_pylist()))
    assert pairs <= set(REAL_TYPES.items())
    gor = set(zip(est.column("GOR (code)").to_pylist(), est.column("GOR (name)").to_pylist()))
    assert len({c for c, _ in gor}) == len(gor)                     # one name per code
    la = set(zip(est.column("LA (code)").to_pylist(), est.column("LA (name)").to_pylist()))
    assert len({c for c, _ in la}) == len(la)
    groups = parse(files_of(mirror, "gias_groups")[-1], next(s for s in SOURCES if s.name == "gias_groups")).table
    assert set(zip(groups.column("Group Type (code)").to_pylist(), groups.column("Group Type").to_pylist())) \
        <= set(GROUP_TYPES.items())
    # every trust a school points at exists in the groups file of the same day
    trust_codes = {c for c in est.column("Trusts (code)").to_pylist() if c}
    assert trust_codes <= set(groups.column("Group UID").to_pylist())


def test_mi_conventions(small_mirror):
    mirror, _ = small_mirror
    latest = [parse(p, next(s for s in SOURCES if s.name == "ofsted_mi_latest")) for p in files_of(mirror, "ofsted_mi_latest")]
    eif, report_cards = latest[0].table, latest[-1].table
    assert set(eif.column("Overall effectiveness").to_pylist()) <= {"1", "2", "3", "4", "NULL"}
    assert set(eif.column("Multi-academy trust UID").to_pylist()) - {"NULL"}      # academies carry their trust
    assert {"No", "Yes"} <= set(eif.column("Does the latest graded inspection relate to the URN of the current school?").to_pylist())
    dates = [d for d in eif.column("Inspection start date").to_pylist() if d != "NULL"]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in dates)
    areas = set(report_cards.column("Achievement").to_pylist())
    assert areas <= {"Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement", "NULL"}
    assert len(areas) >= 3
    assert set(report_cards.column("Safeguarding standards").to_pylist()) <= {"Met", "Not met", "NULL"}


def test_small_mirror_loads_through_the_raw_layer(small_mirror, tmp_path):
    mirror, _ = small_mirror
    assert run(tmp_path, str(mirror)).success
    assert table_counts(tmp_path) == expected_rows(mirror)


def test_all_three_edubasealldata_layouts_can_be_written(tmp_path):
    world = build_world("small", 3)
    establishments = next(s for s in SOURCES if s.name == "gias_establishments")
    for era_index, era in enumerate(establishments.eras):
        out = tmp_path / str(era_index)
        out.mkdir()
        parsed = parse(gias_files.write_establishments(world, date(2024, 5, 1), out, era_index), establishments)
        assert parsed.era == era.name and parsed.rows > 900


def test_small_generation_is_byte_identical(small_mirror, tmp_path):
    _, truth = small_mirror
    again = generate("small", 7, tmp_path)
    assert again["files"] == truth["files"]
    other_seed = generate("small", 8, tmp_path / "other")
    assert other_seed["files"] != truth["files"]


def test_national_scale_reproducible_calibrated_and_planted(tmp_path):
    first = generate("national", 42, tmp_path / "a")
    second = generate("national", 42, tmp_path / "b")
    assert first["files"] == second["files"]                          # byte-identical (SHA-256 of every file)
    assert first["counts"]["open_schools_today"] == 24_000
    assert 140 <= first["counts"]["local_authorities"] <= 160
    groups = first["counts"]["groups_by_type"]
    assert 1_300 <= groups["Multi-academy trust"] <= 2_000 and 700 <= groups["Single-academy trust"] <= 1_400
    for day, target in first["calibration"]["targets"].items():
        got = first["calibration"]["generated"][day]
        assert abs(got["good_or_outstanding"] - target["good_or_outstanding"]) <= 0.02, (day, got)
        assert abs(got["outstanding"] - target["outstanding"]) <= 0.025, (day, got)
    patterns = {(p["group_kind"], p["pattern"]) for p in first["patterns"]}
    for wanted in [("Multi-academy trust", "improves_weak_joiners"), ("Multi-academy trust", "declines_after_joining"),
                   ("Multi-academy trust", "fast_growth_falling_outcomes"), ("Multi-academy trust", "stale_evidence"),
                   ("Federation", "declines_after_joining"), ("Local authority", "improving_local_authority"),
                   ("Local authority", "stale_evidence")]:
        assert wanted in patterns
    truth = json.loads((tmp_path / "a" / TRUTH_FILE).read_text(encoding="utf-8"))
    members = {u for p in truth["patterns"] for u in p.get("member_urns", [])}
    links = parse(next((tmp_path / "a").glob("links_edubasealldata2026*.csv")), SOURCES[1]).table
    est = parse(next((tmp_path / "a").glob("edubasealldata2026*.csv")), SOURCES[0]).table
    assert {str(u) for u in members} <= set(est.column("URN").to_pylist())
    assert links.num_rows > 10_000
