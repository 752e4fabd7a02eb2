"""Reading upstream CSVs exactly as published, on real files and real-format variants."""

import pytest

from school_groups.raw.reader import RawFileError, parse
from school_groups.sources.registry import get_source

from .conftest import LINKS_FILE, SAMPLE, linked_establishments_export

LINKS = get_source("gias_links")
ESTABLISHMENTS = get_source("gias_establishments")
MI_LATEST = get_source("ofsted_mi_latest")
TRUST_LINKS = get_source("gias_academy_trust_links")
MI_2024 = SAMPLE / "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2024.csv"


def test_real_links_file_keeps_every_row_and_its_windows_1252_names():
    parsed = parse(LINKS_FILE, LINKS)
    assert parsed.rows == 33_801
    assert parsed.encoding == "cp1252"
    assert parsed.era == "2021 onwards (5 columns)"
    names = set(parsed.table.column("LinkName").to_pylist())
    assert "St Thomas à Becket Catholic Secondary School, A Voluntary Academy" in names
    assert "North Star 82°" in names
    assert any("ô" in n for n in names)
    assert not any("\ufffd" in n or "Ã" in n for n in names)
    # empty dates stay empty strings, exactly as published (about a quarter of rows)
    empty = sum(v == "" for v in parsed.table.column("LinkEstablishedDate").to_pylist())
    assert 8_000 < empty < 8_500


def test_cp1252_is_not_latin1(tmp_path):
    # 0x92 is ’ in Windows-1252 but a C1 control character in latin-1.
    f = tmp_path / "links_edubasealldata20250101.csv"
    f.write_bytes(b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'
                  b'100001,100002,"St Mary\x92s \x96 \x93Upper\x94 School","Successor",""\r\n')
    assert parse(f, LINKS).table.column("LinkName")[0].as_py() == "St Mary’s – “Upper” School"


@pytest.mark.parametrize("file_name, era, only_in_era", [
    ("edubasealldata20170901.csv", "2017 (120 columns)", "HeadHonours"),
    ("edubasealldata20240501.csv", "2023 to 2024-05 (140 columns)", "OfstedRating (name)"),
    ("edubasealldata20260105.csv", "2025-04 onwards (135 columns)", "AccreditationExpiryDate"),
])
def test_each_real_edubasealldata_header_loads_by_name(file_name, era, only_in_era):
    parsed = parse(SAMPLE / file_name, ESTABLISHMENTS)
    assert parsed.era == era
    assert len(parsed.header) == {"2017 (120 columns)": 120, "2023 to 2024-05 (140 columns)": 140}.get(era, 135)
    assert only_in_era in parsed.header
    urns = parsed.table.column("URN").to_pylist()
    assert all(u.isdigit() for u in urns) and len(set(urns)) == parsed.rows
    # codes are kept as published strings: three-digit LA codes, or "0" for overseas schools
    las = zip(parsed.table.column("LA (code)").to_pylist(), parsed.table.column("LA (name)").to_pylist())
    assert all(len(code) == 3 or (code, name) == ("0", "Does not apply") for code, name in las)


def test_columns_map_by_name_when_the_order_changes(tmp_path):
    original = (SAMPLE / "edubasealldata20260105.csv").read_bytes().decode("cp1252").split("\r\n")
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(original))))
    order = list(reversed(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in order] for r in rows if r])
    moved = tmp_path / "edubasealldata20260106.csv"
    moved.write_bytes(out.getvalue().encode("cp1252"))
    a, b = parse(SAMPLE / "edubasealldata20260105.csv", ESTABLISHMENTS), parse(moved, ESTABLISHMENTS)
    assert b.era == a.era
    for col in ("URN", "EstablishmentName", "PercentageFSM", "Trusts (code)"):
        assert b.table.column(col).to_pylist() == a.table.column(col).to_pylist()


def test_mi_title_lines_above_the_header_and_literal_null(tmp_path):
    body = MI_2024.read_bytes()
    f = tmp_path / "Management_information_-_schools_-_latest_inspections_as_at_31_Aug_2024.csv"
    f.write_bytes(b"Management information - state-funded schools - as at 31 August 2024\r\n,,,\r\n" + body)
    plain, titled = parse(MI_2024, MI_LATEST), parse(f, MI_LATEST)
    assert (plain.header_line, titled.header_line) == (1, 3)
    assert titled.rows == plain.rows == 18
    assert titled.table.equals(plain.table)
    # 'NULL' is data as published, not a missing value
    assert "NULL" in titled.table.column("School open date").to_pylist()


def test_mi_file_in_windows_1252_with_en_dash(tmp_path):
    text = MI_2024.read_text(encoding="utf-8").replace("\ufffd", "–")
    f = tmp_path / "mi.csv"
    f.write_bytes(text.encode("cp1252"))
    parsed = parse(f, MI_LATEST)
    assert parsed.encoding == "cp1252"
    joined = " ".join(v for c in parsed.table.columns for v in c.to_pylist())
    assert "–" in joined and "\ufffd" not in joined


def test_documented_short_rows_are_padded_not_dropped():
    parsed = parse(SAMPLE / "grouplinks_edubaseallacademiesandfree20250801.csv", TRUST_LINKS)
    assert parsed.rows == 22 and parsed.padded_rows == 22
    assert set(parsed.table.column("HasSharedHT").to_pylist()) == {""}
    assert parsed.table.column("URN")[0].as_py() == "105135"


def test_ragged_row_names_file_row_and_column(tmp_path):
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    lines[5] = lines[5] + b',"extra"'
    f = tmp_path / "links_edubasealldata20250422.csv"
    f.write_bytes(b"\r\n".join(lines))
    with pytest.raises(RawFileError) as err:
        parse(f, LINKS)
    e = err.value
    assert (e.row, e.line, e.column) == (5, 6, "LinkEstablishedDate")
    assert "links_edubasealldata20250422.csv, row 5, line 6" in str(e) and "'extra'" in str(e)


def test_truncated_file_is_an_error_not_a_shorter_table(tmp_path):
    data = LINKS_FILE.read_bytes()
    cut = data.index(b'"Predecessor"', 1_000_000) + 5        # inside a quoted field
    f = tmp_path / "links_edubasealldata20250422.csv"
    f.write_bytes(data[:cut])
    with pytest.raises(RawFileError, match="truncated"):
        parse(f, LINKS)
    cut_mid_row = data.index(b"\r\n", 1_000_000) + 10         # after a couple of fields
    f.write_bytes(data[:cut_mid_row])
    with pytest.raises(RawFileError, match=r"values stop before this column"):
        parse(f, LINKS)


def test_undecodable_bytes_duplicate_and_missing_headers(tmp_path):
    f = tmp_path / "links_edubasealldata20250101.csv"
    f.write_bytes(b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n1,2,"a\x81b","Successor",""\r\n')
    with pytest.raises(RawFileError, match=r"line 2: byte 0x81"):
        parse(f, LINKS)
    f.write_bytes(b'"URN","LinkURN","LinkName","LinkType","linkname"\r\n1,2,"a","Successor","b"\r\n')
    with pytest.raises(RawFileError, match=r"column 3 and column 5 both 'linkname'"):
        parse(f, LINKS)
    f.write_bytes(b'"URN","Link URN","LinkName","LinkType","LinkEstablishedDate"\r\n1,2,"a","Successor",""\r\n')
    with pytest.raises(RawFileError, match=r"no header line holding URN, LinkURN, LinkType"):
        parse(f, LINKS)
    f.write_bytes(b"")
    with pytest.raises(RawFileError, match="empty"):
        parse(f, LINKS)


def test_header_drift_loads_by_name_and_reports_the_difference(tmp_path):
    f = tmp_path / "links_edubasealldata20250101.csv"
    f.write_bytes(b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate","LinkReason"\r\n'
                  b'1,2,"a","Successor","01-09-2020","Conversion"\r\n')
    parsed = parse(f, LINKS)
    assert parsed.era is None and parsed.added_columns == ["LinkReason"] and parsed.missing_columns == []
    assert parsed.table.column("LinkReason").to_pylist() == ["Conversion"]


def test_header_drift_missing_column_is_reported_and_the_rest_loads(tmp_path):
    f = tmp_path / "links_edubasealldata20250101.csv"
    f.write_bytes(b'"URN","LinkURN","LinkType","LinkEstablishedDate"\r\n1,2,"Successor","01-09-2020"\r\n')
    parsed = parse(f, LINKS)
    assert parsed.era is None and parsed.missing_columns == ["LinkName"] and parsed.added_columns == []
    assert parsed.rows == 1


@pytest.mark.parametrize("data, problem", [
    ("URN,Name\r\n1,A\r\n".encode("utf-16"), "UTF-16 text"),
    (b"URN,Name\r1,A\r2,B\r", "CR only"),
])
def test_utf16_and_cr_only_files_are_refused_by_name(tmp_path, data, problem):
    from school_groups.raw.reader import RawFileError, decode

    path = tmp_path / "links_edubasealldata20250423.csv"
    with pytest.raises(RawFileError, match=rf"^links_edubasealldata20250423\.csv(, line 1)?: .*{problem}"):
        decode(data, path)


def test_a_long_field_is_read_by_both_parsers(tmp_path):
    """A 200,000-character field: pyarrow reads it, and so does the exact parser the academy trust
    links file needs for its rows short of the optional trailing column."""
    from school_groups.raw.reader import parse
    from school_groups.sources.registry import get_source

    source = get_source("gias_academy_trust_links")
    header = list(source.eras[0].columns)
    long_name = "A" * 200_000
    short_row = ["100001", "5143", long_name] + [""] * (len(header) - 4)       # one value short: padded
    lines = [",".join(f'"{h}"' for h in header), ",".join(f'"{v}"' for v in short_row)]
    path = tmp_path / "grouplinks_edubaseallacademiesandfree20250801.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    parsed = parse(path, source)
    assert parsed.rows == 1 and parsed.padded_rows == 1
    assert parsed.table.column(header[2])[0].as_py() == long_name


def test_a_spilled_linked_establishments_column_is_joined_back_and_its_rows_listed(tmp_path):
    path, expected, rows = linked_establishments_export(tmp_path, [1, 3, 0, 2])
    parsed = parse(path, ESTABLISHMENTS)
    assert parsed.rows == rows
    assert parsed.table.column("Linked establishments").to_pylist() == expected
    spilled = [i + 1 for i, text in enumerate(expected) if text.count(",") > 0]
    assert parsed.rejoined_rows == spilled and parsed.repairs["rejoined_rows"] == len(spilled)
    # the columns before it are untouched
    assert parsed.table.column("URN").to_pylist() == parse(SAMPLE / "edubasealldata20240501.csv",
                                                          ESTABLISHMENTS).table.column("URN").to_pylist()


def test_extra_fields_after_any_other_last_column_are_still_an_error(tmp_path):
    lines = (SAMPLE / "edubasealldata20240501.csv").read_bytes().split(b"\r\n")
    lines[2] = lines[2] + b",spill"
    path = tmp_path / "edubasealldata20240502.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(RawFileError, match="row 2.*the extra value 'spill' follows the last column"):
        parse(path, ESTABLISHMENTS)
