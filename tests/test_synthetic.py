"""The synthetic mirror follows the real format rules, loads like real files, and is reproducible."""

import csv
import io
import json
import re
import shutil
from datetime import date

import pytest

from school_groups.raw.reader import parse
from school_groups.sources.registry import SOURCES, match_file
from synthetic import calibration as cal
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


@pytest.fixture(scope="module")
def national_mirror(tmp_path_factory):
    """The national mirror (seed 42), generated once for this module (~25 s). Not
    ``national_run.mirror``: that fixture also runs the whole pipeline, and these tests are
    about the generator alone."""
    out = tmp_path_factory.mktemp("national-42")
    truth = generate("national", 42, out)
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


@pytest.mark.national
def test_national_scale_reproducible_calibrated_and_planted(national_mirror, tmp_path):
    mirror, first = national_mirror
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
    truth = json.loads((mirror / TRUTH_FILE).read_text(encoding="utf-8"))
    members = {u for p in truth["patterns"] for u in p.get("member_urns", [])}
    links = parse(next(mirror.glob("links_edubasealldata2026*.csv")), SOURCES[1]).table
    est = parse(next(mirror.glob("edubasealldata2026*.csv")), SOURCES[0]).table
    assert {str(u) for u in members} <= set(est.column("URN").to_pylist())
    assert links.num_rows > 10_000


# -- Ofsted's published figures, computed from the generated files alone ------------------------

GRADES = {"1", "2", "3", "4"}
KEY_JUDGEMENTS = {"qoe": "Quality of education", "ba": "Behaviour and attitudes", "pd": "Personal development",
                  "lm": "Effectiveness of leadership and management"}
UNGRADED_OUTCOMES = {"Standards maintained", "Improved significantly", "Some aspects not as strong"}
YEAR_2024_25 = (date(2024, 9, 1), date(2025, 8, 31))
TOLERANCE = 0.005                       # half a percentage point
# Good or outstanding at 31 Aug 2024 is 90.59% in the world and cannot move without changing
# underlying grades, which the planted patterns rest on (docs/SYNTHETIC.md): held to 0.6 point.
GO_2024_TOLERANCE = 0.006


def mi_rows(path) -> list[dict]:
    """A generated MI or official-statistics CSV as dicts (UTF-8, else Windows-1252)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def mi_file(mirror, prefix: str):
    found = sorted(mirror.glob(prefix + "*.csv"))
    assert len(found) == 1, (prefix, found)
    return found[0]


def dmy(text: str) -> date:
    day, month, year = (int(x) for x in text.split("/"))
    return date(year, month, day)


def good_or_outstanding(rows: list[dict], column: str = "Overall effectiveness") -> float:
    """Share of 1 or 2 among rows graded 1-4 (a school's latest graded judgement, its
    predecessor's when it has none of its own: both files carry that)."""
    grades = [r[column] for r in rows if r[column] in GRADES]
    return sum(g in ("1", "2") for g in grades) / len(grades)


@pytest.fixture(scope="module")
def national_figures(national_mirror) -> dict:
    mirror, _ = national_mirror
    stats_2018 = mi_rows(mi_file(mirror, "State_funded_schools_inspections_and_outcomes_as_at_31_August_2018"))
    latest_2024 = mi_rows(mi_file(mirror, "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2024"))
    in_year = mi_rows(mi_file(mirror, "Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_31_Aug_2025"))
    started = [r for r in in_year if YEAR_2024_25[0] <= dmy(r["Inspection start date"]) <= YEAR_2024_25[1]]
    graded = [r for r in started if r["Quality of education"] in GRADES]
    ungraded = [r["Outcomes for ungraded and monitoring inspections"] for r in started
                if r["Outcomes for ungraded and monitoring inspections"] in UNGRADED_OUTCOMES]
    return {
        "go_2018_08_31": good_or_outstanding(stats_2018),
        "go_2024_08_31": good_or_outstanding(latest_2024),
        "key_judgements_2024_25": {key: sum(r[col] in ("1", "2") for r in graded) / len(graded)
                                   for key, col in KEY_JUDGEMENTS.items()},
        "ungraded_maintained_or_improved_2024_25": sum(o != "Some aspects not as strong" for o in ungraded) / len(ungraded),
        "counts": {"graded_2024_25": len(graded), "ungraded_2024_25": len(ungraded)},
    }


@pytest.mark.national
def test_national_files_reproduce_ofsted_published_figures(national_mirror, national_figures):
    _, truth = national_mirror
    got, calibration = national_figures, truth["calibration"]
    assert got["counts"]["graded_2024_25"] > 2_000 and got["counts"]["ungraded_2024_25"] > 200
    assert abs(got["go_2018_08_31"] - cal.TARGET_GO_2018) <= TOLERANCE, got["go_2018_08_31"]
    assert abs(got["go_2024_08_31"] - cal.TARGET_GO_2024) <= GO_2024_TOLERANCE, got["go_2024_08_31"]
    for key, target in cal.TARGET_KEY_JUDGEMENTS_2024_25.items():
        assert abs(got["key_judgements_2024_25"][key] - target) <= TOLERANCE, (key, got["key_judgements_2024_25"])
    assert abs(got["ungraded_maintained_or_improved_2024_25"] - cal.TARGET_UNGRADED_MAINTAINED_OR_IMPROVED_2024_25) \
        <= TOLERANCE, got["ungraded_maintained_or_improved_2024_25"]
    # ground_truth.json records the world's own figures (every inspection, published or not)
    assert calibration["published"]["key_judgements_2024_25"] == cal.TARGET_KEY_JUDGEMENTS_2024_25
    for key in ("go_2018_08_31", "go_2024_08_31", "ungraded_maintained_or_improved_2024_25"):
        assert abs(calibration[key] - got[key]) <= 0.002, (key, calibration[key], got[key])
    for key in KEY_JUDGEMENTS:
        assert abs(calibration["key_judgements_2024_25"][key] - got["key_judgements_2024_25"][key]) <= 0.002


def test_in_year_rows_carry_what_the_real_file_carries(small_mirror):
    """As in the real in-year file published by 31 May 2025: a monitoring visit (10353864) holds 9
    in every judgement column, with its real type fields; graded rows hold grades."""
    mirror, _ = small_mirror
    rows = mi_rows(mi_file(mirror, "Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_31_Aug_2025"))
    judgements = ["Quality of education", "Behaviour and attitudes", "Personal development",
                  "Effectiveness of leadership and management", "Safeguarding is effective",
                  "Early years provision (where applicable)", "Sixth form provision (where applicable)"]
    kinds = {"graded": [], "ungraded": [], "monitoring": []}
    for row in rows:
        outcome = row["Outcomes for ungraded and monitoring inspections"]
        kinds["graded" if not outcome else "ungraded" if outcome in UNGRADED_OUTCOMES else "monitoring"].append(row)
    assert all(kinds.values()), {k: len(v) for k, v in kinds.items()}
    for row in kinds["ungraded"] + kinds["monitoring"]:
        assert [row[c] for c in judgements] == ["9"] * 7, row["Inspection number"]
    for row in kinds["graded"]:
        assert row["Quality of education"] in GRADES and row["Safeguarding is effective"] in ("Yes", "No")
        assert row["Early years provision (where applicable)"] in GRADES | {"9"}
    monitoring_types = {(r["Inspection type grouping"], r["Event type grouping"]) for r in kinds["monitoring"]}
    assert ("Requires Improvement monitoring Visit", "Schools - S8") in monitoring_types
    assert {r["Inspection type"] for r in kinds["monitoring"] if r["Category of concern"] == ""} \
        <= {f"Requires Improvement monitoring Visit {n}" for n in range(1, 6)}
    assert {(r["Inspection type"], r["Inspection type grouping"], r["Event type grouping"]) for r in kinds["graded"]} <= {
        ("S5 Inspection", "S5 Inspection", "Schools - S5"),
        ("Maintained Academy and School Short inspection", "Section 8 conversion", "Schools – Section 8 conversion")}
    assert {r["Did the latest ungraded inspection convert to a graded inspection?"] for r in kinds["ungraded"]} == {"No"}
    assert {r["Did the latest ungraded inspection convert to a graded inspection?"] for r in kinds["monitoring"]} == {""}


def test_the_pipeline_recognises_a_synthetic_mirror_and_nothing_else(small_mirror, tmp_path):
    from school_groups.sources.fetch import is_synthetic
    from tests.conftest import SAMPLE

    mirror, _ = small_mirror
    some_file = next(mirror.glob("edubasealldata*.csv"))
    assert is_synthetic(some_file)
    nested = tmp_path / "sub" / "deeper"
    nested.mkdir(parents=True)
    shutil.copy(some_file, nested / some_file.name)
    assert not is_synthetic(nested / some_file.name)          # no marker above it
    (tmp_path / TRUTH_FILE).write_text("{}", encoding="utf-8")
    assert is_synthetic(nested / some_file.name)              # a mirror keeping files in sub-folders
    assert not is_synthetic(next(SAMPLE.glob("edubasealldata*.csv")))   # the real excerpts
    assert not is_synthetic("https://ea-edubase-api-prod.azurewebsites.net/edubase/downloads/public/x.csv")
