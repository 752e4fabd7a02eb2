"""Wrong values must never publish silently (issue 15's catalogue, part one).

One good run on a mirror of the bundled real excerpts is copied for every case; the case adds one
defect and runs ``full_refresh`` again. A defect is refused (the run fails naming the file, row or
check, and the published files stay byte-identical), repaired (and the repair counted), or read
correctly.
"""

import csv
import io
import shutil

import duckdb
import pytest
from dagster import DagsterInstance

from pipelines.build import build_defs
from pipelines.dq_report import root_cause
from school_groups.settings import load_settings

from .conftest import SAMPLE, linked_establishments_export, published_hashes, query

pytestmark = pytest.mark.slow

ESTABLISHMENTS = "edubasealldata20260105.csv"
MI_LATEST = "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2024.csv"
IN_YEAR = "Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_28_Feb_2026.csv"


def run(mirror, home):
    defs = build_defs(load_settings(source=str(mirror), home=home))
    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("full_refresh").execute_in_process(instance=instance, raise_on_error=False)
        failures = [root_cause(e.step_failure_data.error) for e in result.all_events if e.is_step_failure]
        failed_checks = {f"{e.asset_key.to_user_string()}:{e.check_name}": e for e in result.get_asset_check_evaluations()
                         if not e.passed}
    return result, failures, failed_checks


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A mirror of the real excerpts and a home after one good run (published)."""
    root = tmp_path_factory.mktemp("baseline")
    mirror, home = root / "mirror", root / "home"
    shutil.copytree(SAMPLE, mirror)
    result, failures, _ = run(mirror, home)
    assert result.success, failures
    return mirror, home


@pytest.fixture
def case(baseline, tmp_path):
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    shutil.copytree(baseline[0], mirror)
    shutil.copytree(baseline[1], home)
    return mirror, home


def rewrite_csv(path, encoding: str, change) -> None:
    """Rewrite a published CSV row by row (``change(header, rows)`` edits rows in place), keeping its
    quoting style and CRLF line ends."""
    text = path.read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    change(header, body)                 # edits rows in place, or appends to body
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL if text.startswith('"') else csv.QUOTE_MINIMAL,
               lineterminator="\r\n").writerows([header, *body])
    path.write_bytes(out.getvalue().encode(encoding))


def mi_encoding(path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def test_a_gias_file_dated_in_the_future_is_refused_by_name(case):
    mirror, home = case
    before = published_hashes(home)
    shutil.copy(mirror / ESTABLISHMENTS, mirror / "edubasealldata20301231.csv")
    result, failures, _ = run(mirror, home)
    assert not result.success
    assert any("edubasealldata20301231.csv: dated 2030-12-31" in f and "refused" in f for f in failures), failures
    assert query(home, "select count(*) from raw.source_files where snapshot_date = date '2030-12-31'") == [(0,)]
    assert published_hashes(home) == before


def test_pupil_numbers_with_thousands_separators_are_read(case):
    mirror, home = case
    path = mirror / ESTABLISHMENTS

    def separators(header, rows):
        col = header.index("NumberOfPupils")
        rows[0][col] = "1,119"
    rewrite_csv(path, "cp1252", separators)
    urn = next(csv.reader(io.StringIO(path.read_bytes().decode("cp1252").split("\r\n")[1])))[0]
    result, failures, _ = run(mirror, home)
    assert result.success, failures
    assert query(home, f"select pupils from core.schools where urn = {urn} and is_current") == [(1119,)]


def test_grade_words_are_read_and_an_unknown_word_blocks(case):
    mirror, home = case
    before = published_hashes(home)
    path = mirror / MI_LATEST
    encoding = mi_encoding(path)
    picked = {}

    def words(header, rows):
        col, number = header.index("Overall effectiveness"), header.index("Inspection number of latest graded inspection")
        graded = [r for r in rows if r[col] in ("1", "2", "3", "4")]
        picked["good"], picked["odd"] = graded[0][number], graded[1][number]
        graded[0][col] = {"1": "Outstanding", "2": "Good", "3": "Requires improvement", "4": "Inadequate"}[graded[0][col]]
        picked["grade"] = graded[0][col]
        graded[1][col] = "Goood"
    rewrite_csv(path, encoding, words)
    result, failures, failed = run(mirror, home)
    assert not result.success and "core/inspections:grades_are_readable" in failed
    examples = failed["core/inspections:grades_are_readable"].metadata["examples"].value
    assert picked["odd"] in examples and "Goood" in examples and picked["good"] not in examples
    assert query(home, f"select overall_effectiveness from core.inspections where inspection_number = '{picked['good']}'") \
        == [({"Outstanding": 1, "Good": 2, "Requires improvement": 3, "Inadequate": 4}[picked["grade"]],)]
    assert published_hashes(home) == before


def test_a_header_only_file_is_refused(case):
    mirror, home = case
    before = published_hashes(home)
    header = (mirror / IN_YEAR).read_bytes().split(b"\n")[0] + b"\n"      # Ofsted's files end lines with LF
    (mirror / IN_YEAR.replace("28_Feb_2026", "31_Mar_2026")).write_bytes(header)
    result, _, failed = run(mirror, home)
    assert not result.success and "raw/source_files:loaded_snapshots_have_rows" in failed
    assert "31_Mar_2026" in failed["raw/source_files:loaded_snapshots_have_rows"].metadata["examples"].value
    assert published_hashes(home) == before


def test_a_snapshot_that_lost_a_required_column_or_changed_its_date_format_is_blocked(case):
    mirror, home = case
    before = published_hashes(home)
    text = (mirror / ESTABLISHMENTS).read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    close = rows[0].index("CloseDate")
    without_close = [r[:close] + r[close + 1:] for r in rows]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(without_close)
    (mirror / "edubasealldata20260106.csv").write_bytes(out.getvalue().encode("cp1252"))
    result, _, failed = run(mirror, home)
    assert not result.success and "raw/gias_establishments:required_columns_present" in failed
    assert "CloseDate" in failed["raw/gias_establishments:required_columns_present"].metadata["examples"].value
    assert published_hashes(home) == before


def test_iso_dates_quarantine_most_of_a_snapshot_and_block(case):
    mirror, home = case
    before = published_hashes(home)
    path = mirror / "edubasealldata20260107.csv"
    shutil.copy(mirror / ESTABLISHMENTS, path)

    def iso(header, rows):
        # a re-export that writes every date the ISO way (the excerpt leaves most open dates empty)
        col = header.index("OpenDate")
        for r in rows:
            d, m, y = (r[col] or "01-09-2015").split("-")
            r[col] = f"{y}-{m}-{d}"
    rewrite_csv(path, "cp1252", iso)
    result, _, failed = run(mirror, home)
    assert not result.success and "staging/gias_establishments:few_rows_quarantined" in failed
    assert "malformed_date" in failed["staging/gias_establishments:few_rows_quarantined"].metadata["examples"].value
    assert published_hashes(home) == before


def test_a_spreadsheet_resave_of_companies_house_numbers_is_padded_and_counted(case):
    mirror, home = case
    original = (mirror / "allgroupsdata20231101.csv").read_bytes().decode("cp1252").rstrip("\r\n").split("\r\n")
    resaved = [line.replace('"', "") for line in original]
    resaved.append("5143,TR01234,United Learning Trust,2236171,6,Multi-academy trust,,,01/01/2004,OPEN,Open,,,,,"
                   "Not recorded,,,,,")
    (mirror / "allgroupsdata20231201.csv").write_bytes(("\r\n".join(resaved) + "\r\n").encode("cp1252"))
    result, failures, failed = run(mirror, home)
    assert result.success, failures
    assert query(home, "select companies_house_number from core.groups where group_uid = 5143") == [("02236171",)]
    repaired = failed["staging/gias_groups:companies_house_numbers_repaired"]
    assert repaired.metadata["violations"].value >= 1 and "5143" in repaired.metadata["examples"].value
    assert "core/groups:companies_house_number_has_8_characters" not in failed


def test_a_school_in_two_trusts_in_one_snapshot_is_quarantined_not_moved(case):
    mirror, home = case
    path = mirror / "grouplinks_edubaseallacademiesandfree20250801.csv"
    text = path.read_bytes().decode("cp1252")
    rows = list(csv.reader(io.StringIO(text)))
    header, first = rows[0], rows[1]
    urn, uid = first[header.index("URN")], first[header.index("Linked UID")]
    other = [r for r in rows[1:] if r[header.index("Linked UID")] != uid][0]
    twin = list(other)
    twin[header.index("URN")] = urn
    for name in ("LinkURN", "EstablishmentName"):
        if name in header:
            twin[header.index(name)] = first[header.index(name)]
    rewrite_csv(path, "cp1252", lambda h, body: body.append(twin))
    result, failures, _ = run(mirror, home)
    assert result.success, failures
    reasons = query(home, f"select group_uid, rule, reason from quarantine.gias_group_links where urn = {urn} "
                          "order by group_uid")
    assert {r[1] for r in reasons} == {"two_responsible_bodies"} and len(reasons) == 2
    assert "linked to more than one responsible body" in reasons[0][2]
    # the conflict is no transfer: no membership starts or ends because of it in that snapshot
    spells = query(home, f"select group_key from core.group_memberships where urn = {urn} and is_responsible_body "
                         f"and group_key = 'gias:{other[header.index('Linked UID')]}'")
    assert spells == []


def test_gias_without_any_ofsted_file_still_publishes_with_an_empty_sample(tmp_path):
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    mirror.mkdir()
    for path in SAMPLE.glob("*.csv"):
        if not path.name.startswith(("Management_information", "maintained-schools")):
            shutil.copy(path, mirror)
    result, failures, _ = run(mirror, home)
    assert result.success, failures
    con = duckdb.connect(str(home / "published" / "published.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from core.groups").fetchall()[0][0] > 0
        assert con.execute("select count(*) from sampling.sample_draw").fetchall() == [(0,)]
        assert con.execute("select count(*) from core.inspections").fetchall() == [(0,)]
    finally:
        con.close()


def test_a_2022_export_whose_last_column_spills_is_rejoined_and_its_rows_listed(case):
    mirror, home = case
    _, expected, _ = linked_establishments_export(mirror, [2, 1, 4])
    result, failures, _ = run(mirror, home)
    assert result.success, failures
    repairs = query(home, "select repairs from raw.source_files where file_name = 'edubasealldata20220301.csv'")[0][0]
    import json

    repairs = json.loads(repairs)
    spilled = [i + 1 for i, text in enumerate(expected) if "," in text]
    assert repairs["rejoined_last_column"] == "Linked establishments"
    assert repairs["rejoined_row_numbers"] == spilled and repairs["rejoined_rows"] == len(spilled) > 0
    stored = query(home, 'select "Linked establishments" from raw.gias_establishments '
                         "where _snapshot_date = '2022-03-01' order by _row_number")
    assert [r[0] for r in stored] == expected


def test_a_typed_column_that_cannot_be_read_blocks_naming_file_column_and_value(case):
    mirror, home = case
    before = published_hashes(home)
    path = mirror / ESTABLISHMENTS
    seen = {}

    def unreadable(header, rows):
        col = header.index("SchoolCapacity")
        given = [r for r in rows if r[col].strip()]
        for r in given:
            r[col] = "about 300"
        seen["given"] = len(given)
    rewrite_csv(path, "cp1252", unreadable)
    result, _, failed = run(mirror, home)
    assert not result.success
    check = failed["staging/gias_establishments:numbers_readable"]
    assert check.metadata["summary"].value == (
        f"SchoolCapacity in {ESTABLISHMENTS}: {seen['given']} of {seen['given']} values given cannot be read (100.0%), "
        "e.g. 'about 300'; at most 1.0% may fail")
    assert published_hashes(home) == before
