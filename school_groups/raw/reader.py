"""Read one upstream CSV exactly as published: every value a string, columns by name.

Decoding: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise Windows-1252.
GIAS writes cp1252; Ofsted has written both over the years. cp1252, not latin-1: they
differ on ’ – “ ” € (bytes 0x80-0x9F), which occur in names and in Ofsted's en dashes.

Parsing: pyarrow's CSV reader (fast, order-preserving). If it finds any malformed row,
the file is parsed again with Python's csv module, which either pads the documented
optional trailing columns or raises an error naming the file, row, line and column.
Nothing is cleaned: empty fields stay '' and the literal string 'NULL' stays 'NULL'.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from school_groups.sources.registry import OVERFLOWING_LAST_COLUMNS, Source

HEADER_SEARCH_LINES = 30
FIELD_LIMIT = 1 << 24
# Python's csv module refuses fields over 131,072 characters: raise its limit so that a long
# free-text field passes in every source alike.
csv.field_size_limit(FIELD_LIMIT)
# pyarrow parses a file's blocks in parallel and refuses a row longer than a block. 4 MiB blocks
# keep both cores busy on a 40 MB GIAS file (16 MiB blocks made three uneven blocks: 0.45 s
# against 0.24 s); the rare row longer than that falls back to the exact parser, which accepts
# fields up to FIELD_LIMIT and reads them the same.
BLOCK_BYTES = 1 << 22
CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# cp1252 differs from latin-1 only on these bytes; without them latin-1 decodes the same text
# about five times faster (Python's cp1252 codec goes through a mapping table).
C1_BYTES = bytes(range(0x80, 0xA0))


class RawFileError(ValueError):
    """A file that cannot be loaded as published; the message names file, row and column."""

    def __init__(self, path: Path | str, message: str, *, row: int | None = None,
                 line: int | None = None, column: str | None = None):
        self.path, self.row, self.line, self.column = str(path), row, line, column
        where = [f"{Path(path).name}"]
        if row is not None:
            where.append(f"row {row}")
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class ParsedFile:
    table: pa.Table                 # one string column per header name, in file order
    header: list[str]
    header_line: int                # 1-based physical line of the header
    encoding: str                   # what the bytes were decoded as
    era: str | None                 # the registry era whose columns match exactly, if any
    missing_columns: list[str] = field(default_factory=list)   # vs the closest era
    added_columns: list[str] = field(default_factory=list)
    padded_rows: int = 0            # rows short of the documented optional trailing columns
    rejoined_rows: list[int] = field(default_factory=list)   # rows whose spilled last column was rejoined

    @property
    def repairs(self) -> dict:
        """What reading changed, for the manifest: counted, and the rejoined rows listed."""
        return {"padded_rows": self.padded_rows, "rejoined_last_column": self.header[-1] if self.rejoined_rows else None,
                "rejoined_rows": len(self.rejoined_rows), "rejoined_row_numbers": self.rejoined_rows}

    @property
    def rows(self) -> int:
        return self.table.num_rows


def decode(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode bytes as UTF-8 if they are valid UTF-8, else as strict cp1252."""
    if not data or data.isspace():      # as ``not data.strip()``, without copying 40 MB
        raise RawFileError(path, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # a spreadsheet's "Unicode text" export: readable, but never how GIAS or Ofsted publish
        raise RawFileError(path, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); GIAS and "
                                 "Ofsted publish UTF-8 or Windows-1252 CSV: save it as CSV and load it again")
    if b"\r" in data[:65536] and b"\n" not in data:
        raise RawFileError(path, "the lines end with CR only (an old Mac export): GIAS and Ofsted files end lines "
                                 "with CRLF or LF; save it again with Windows or Unix line endings", line=1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        return text, "ascii" if text.isascii() else "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data.translate(None, C1_BYTES)) == len(data):
        return data.decode("latin-1"), "cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RawFileError(
            path, f"byte 0x{data[exc.start]:02X} at offset {exc.start} is neither UTF-8 nor Windows-1252; "
                  "the file is in an unexpected encoding or corrupt", line=line) from None


def find_header(text: str, source: Source, path: Path | str) -> tuple[int, list[str], int]:
    """Locate the header among the first lines (MI files can have title lines above it).

    Returns (0-based line index, header names, character offset where the data begins).
    """
    wanted = {k.lower() for k in source.key_columns}
    offset = 0
    for index in range(HEADER_SEARCH_LINES):
        end = text.find("\n", offset)
        line = text[offset:] if end == -1 else text[offset:end]
        fields = next(csv.reader([line.rstrip("\r")]), [])
        if wanted <= {f.strip().lower() for f in fields}:
            return index, fields, len(text) if end == -1 else end + 1
        if end == -1:
            break
        offset = end + 1
    raise RawFileError(
        path, f"no header line holding {', '.join(source.key_columns)} in the first "
              f"{HEADER_SEARCH_LINES} lines; is this really a {source.title} file?", line=1)


def check_header(header: list[str], source: Source, path: Path | str, header_line: int) -> list[str]:
    """Names must be unique, case-insensitively (DuckDB identifiers are case-insensitive)."""
    names, seen = [], {}
    for i, name in enumerate(header, start=1):
        if name.strip() == "":
            name = f"_unnamed_{i}"
        key = name.lower()
        if key in seen:
            raise RawFileError(path, f"header names column {seen[key]} and column {i} both {name!r}",
                               line=header_line, column=name)
        seen[key] = i
        names.append(name)
    missing = [k for k in source.key_columns if k not in names]
    if missing:
        # Present only in another case or with stray spaces: say so rather than guess.
        raise RawFileError(path, f"required column(s) {missing} are spelt differently in the header: "
                                 f"{[n for n in names if n.strip().lower() in {m.lower() for m in missing}]}",
                           line=header_line, column=missing[0])
    return names


def compare_eras(header: list[str], source: Source) -> tuple[str | None, list[str], list[str]]:
    """The era whose column set matches exactly, else the closest one with the differences."""
    best = None
    for era in source.eras:
        cols = set(era.columns)
        missing = [c for c in era.columns if c not in header]
        added = [c for c in header if c not in cols]
        if not missing and not added:
            return era.name, [], []
        score = len(missing) + len(added)
        if best is None or score < best[0]:
            best = (score, missing, added)
    return None, best[1], best[2]


def parse(path: Path | str, source: Source, data: bytes | None = None) -> ParsedFile:
    path = Path(path)
    data = path.read_bytes() if data is None else data
    text, encoding = decode(data, path)
    header_index, header, body_start = find_header(text, source, path)
    header = check_header(header, source, path, header_index + 1)
    body = text[body_start:]
    table = _parse_fast(_utf8_body(data, text, body_start, encoding, body), header)
    padded, rejoined = 0, []
    if table is None:
        table, padded, rejoined = _parse_exact(body, header, source, path, first_line=header_index + 2)
    era, missing, added = compare_eras(header, source)
    return ParsedFile(table, header, header_index + 1, encoding, era, missing, added, padded, rejoined)


def _utf8_body(data: bytes, text: str, body_start: int, encoding: str, body: str) -> bytes:
    """The data's bytes as UTF-8: a UTF-8 (or ASCII) file's own bytes after the header, not
    re-encoded from the decoded text; a cp1252 file's text encoded."""
    if encoding == "cp1252":
        return body.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return memoryview(data)[len(text[:body_start].encode("utf-8")):]


def _parse_fast(body: bytes | memoryview, header: list[str]) -> pa.Table | None:
    """pyarrow parse; None if any row is malformed (the exact parser then explains)."""
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=header, block_size=BLOCK_BYTES),
            # a malformed row ends the attempt at once: the exact parser reads the whole file again
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda row: "error"),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    return table


def _parse_exact(body: str, header: list[str], source: Source, path: Path,
                 first_line: int) -> tuple[pa.Table, int, list[int]]:
    """Python's csv reader, row by row: explains a malformed row by file, row, line and column, pads
    rows short of the documented optional trailing columns, and rejoins a spilled last column."""
    width = len(header)
    # GIAS writes a list of linked establishments, commas and all, unquoted into its last column:
    # the extra fields can only be that column's, so joining them back is unambiguous.
    spills = header[-1] in OVERFLOWING_LAST_COLUMNS
    rejoined: list[int] = []
    optional = list(source.optional_trailing_columns)
    shortest = width - len(optional) if header[width - len(optional):] == optional else width
    columns: list[list[str]] = [[] for _ in header]
    padded = 0
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    row = 0
    try:
        for fields in reader:
            if not fields:
                continue
            row += 1
            n = len(fields)
            if n > width and spills:
                fields = fields[:width - 1] + [",".join(fields[width - 1:])]
                rejoined.append(row)
            elif n > width:
                raise RawFileError(
                    path, f"{n} fields but the header names {width}; the extra value {fields[width]!r} "
                          f"follows the last column", row=row, line=first_line + reader.line_num - 1,
                    column=header[-1])
            if n < shortest:
                raise RawFileError(
                    path, f"{n} fields but the header names {width}; values stop before this column "
                          f"(a ragged row, or the file is truncated)", row=row,
                    line=first_line + reader.line_num - 1, column=header[n])
            if n < width:
                fields = fields + [""] * (width - n)
                padded += 1
            for values, value in zip(columns, fields):
                values.append(value)
    except csv.Error as exc:
        raise RawFileError(path, f"malformed CSV ({exc}); an unterminated quote usually means the file "
                                 f"is truncated", row=row + 1, line=first_line + reader.line_num - 1) from None
    table = pa.table({name: pa.array(values, pa.string()) for name, values in zip(header, columns)})
    return table, padded, rejoined
