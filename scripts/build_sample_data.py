"""Rebuild ``sample_data/`` from the real excerpts gathered in ``../shared/data``.

Run once by a developer; the project never reads ``../shared`` at run time. Each output is
written under an upstream file name in the upstream dialect (GIAS: cp1252, CRLF, raw
quoting). What was changed from the real bytes is listed in ``sample_data/SOURCES.md``.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "sample_data"
HEADERS = ROOT / "assets" / "sources" / "headers"


def crlf_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n").rstrip("\n").split("\n")


def write_gias(name: str, lines: list[str]) -> None:
    (OUT / name).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def header_line(file_name: str) -> str:
    return crlf_lines(HEADERS / file_name)[0]


def main() -> int:
    if not SHARED.is_dir():
        print(f"{SHARED} not found: this script needs the shared data folder", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)

    # Full national links file: byte for byte.
    shutil.copyfile(SHARED / "gias/links_edubasealldata20250422.csv", OUT / "links_edubasealldata20250422.csv")

    # edubasealldata in three eras. The fixture mixes 2017 rows (120 fields) and 2026 rows (135).
    example = crlf_lines(SHARED / "gias/example_schools_data.csv")
    rows_2017, rows_2026 = example[1:10], example[10:20]
    assert all(len(next(csv.reader([r]))) == 120 for r in rows_2017)
    assert all(len(next(csv.reader([r]))) == 135 for r in rows_2026)
    write_gias("edubasealldata20170901.csv", [header_line("edubasealldata_header_2017_120cols.csv"), *rows_2017])
    write_gias("edubasealldata20260105.csv",
               [header_line("edubasealldata_header_2025-04-onwards_135cols.csv"), *rows_2026])
    subset = crlf_lines(SHARED / "gias/gias_subset.csv")
    write_gias("edubasealldata20240501.csv", [header_line("edubasealldata_header_2023-2024_140cols.csv"), *subset[1:]])

    write_gias("allgroupsdata20231101.csv", crlf_lines(SHARED / "gias/gias_groups_data_good.csv"))

    grouplinks = crlf_lines(SHARED / "gias/grouplinks_edubaseallacademiesandfree.csv")
    write_gias("grouplinks_edubaseallacademiesandfree20250801.csv", grouplinks)

    # alllinksdata: no real rows exist here, so the same real links are laid out under the
    # real alllinksdata header (Group ID unknown, left empty). Documented as reshaped.
    all_header = next(csv.reader([header_line("alllinksdata_header.csv")]))
    src = list(csv.reader(io.StringIO("\n".join(grouplinks))))
    src_header, src_rows = src[0], src[1:]
    rename = {"Linked UID": "Group UID"}
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(all_header)
    for row in src_rows:
        record = {rename.get(k, k): v for k, v in zip(src_header, row)}
        writer.writerow([record.get(col, "") for col in all_header])
    (OUT / "alllinksdata20250801.csv").write_bytes(buf.getvalue().encode("cp1252"))

    # Ofsted files keep their names and bytes.
    for path in sorted((SHARED / "ofsted/samples_head_only").glob("*.csv")) + sorted(
            (SHARED / "ofsted/raw").glob("*.csv")):
        shutil.copyfile(path, OUT / path.name)
    print(f"wrote {len(list(OUT.glob('*.csv')))} files to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
