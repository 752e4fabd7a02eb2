"""The floor: load a mirror's CSV files into DuckDB with ``read_csv`` and nothing else.

    python bench/floor.py MIRROR_DIR DATABASE

One process, no Dagster, no Python parsing of the data: every ``*.csv`` under MIRROR_DIR
whose name the pipeline recognises (``school_groups.sources.registry.match_file``, hidden files
skipped as the mirror reader does) becomes one table, every column VARCHAR.

Python only decides, per file, the encoding and how many title lines precede the header
(Ofsted MI files may have some), reading the bytes in 1 MiB chunks:

- valid UTF-8: ``encoding='utf-8'``;
- otherwise DuckDB's built-in ``encoding='latin-1'`` (GIAS writes Windows-1252), unless a
  byte in 0x80-0x9F occurs (cp1252's ’ – “ ” €): DuckDB 2.0's latin-1 refuses those ("File
  is not latin-1 encoded") and reads cp1252 only through the ``encodings`` extension, which
  has to be downloaded. Such a file is transcoded cp1252 → UTF-8 into a scratch file first.

A file DuckDB rejects in strict mode (rows short of the header, as in the academy trust
links file; mixed line endings) is read again with ``null_padding``, ``strict_mode=false``
and the serial reader (null padding with quoted newlines needs it). Everything, the failed
attempt and the transcoding included, is inside the measured time. Prints one JSON object:
per-file rows, encoding, options and seconds.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
import time
from pathlib import Path

import duckdb

from school_groups.sources.registry import Source, match_file

HEADER_SEARCH_LINES = 30
CHUNK = 1 << 20
C1_BYTES = bytes(range(0x80, 0xA0))      # cp1252 punctuation; DuckDB's latin-1 refuses them
STRICT: dict[str, object] = {}
LENIENT = {"null_padding": True, "strict_mode": False, "parallel": False}


def pipeline_files(mirror: Path) -> list[tuple[Path, Source, str]]:
    """The CSV files the pipeline would load: (path, source, table name), in path order."""
    found = []
    for path in sorted(mirror.rglob("*.csv")):
        if path.is_file() and not path.name.startswith(".") and (hit := match_file(path.name)):
            source, day = hit
            found.append((path, source, f"{source.name}_{day:%Y%m%d}"))
    return found


def chunks(path: Path):
    """The file's bytes, 1 MiB at a time."""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def encoding_of(path: Path) -> str:
    """'utf-8' if the file is valid UTF-8, else 'latin-1', or 'cp1252' when a byte in 0x80-0x9F occurs."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    has_c1 = any(len(chunk.translate(None, C1_BYTES)) < len(chunk) for chunk in chunks(path))
    return "cp1252" if has_c1 else "latin-1"


def transcoded(path: Path, scratch: Path) -> Path:
    """A UTF-8 copy of a cp1252 file in ``scratch`` (single-byte encoding: chunks split safely)."""
    target = scratch / path.name
    with open(target, "wb") as dst:
        for chunk in chunks(path):
            dst.write(chunk.decode("cp1252").encode("utf-8"))
    return target


def header_line(path: Path, source: Source) -> int:
    """0-based index of the first line naming all the source's key columns (0 if none does)."""
    wanted = {k.lower() for k in source.key_columns}
    with open(path, "rb") as fh:
        for index, raw in zip(range(HEADER_SEARCH_LINES), fh):
            line = raw.removeprefix(b"\xef\xbb\xbf").decode("latin-1").rstrip("\r\n")
            if wanted <= {f.strip().lower() for f in next(csv.reader([line]), [])}:
                return index
    return 0


def load(con: duckdb.DuckDBPyConnection, path: Path, table: str, encoding: str, skip: int,
         extra: dict[str, object]) -> int:
    """CREATE TABLE <table> AS SELECT * FROM read_csv(<path>, all VARCHAR, ...); the row count."""
    options = {"all_varchar": True, "header": True, "delim": ",", "quote": '"', "escape": '"',
               "encoding": encoding, "skip": skip, **extra}
    args = ", ".join(f"{k} = {json.dumps(v) if isinstance(v, bool) else repr(v)}" for k, v in options.items())
    con.execute(f'create or replace table "{table}" as select * from read_csv(?, {args})', [str(path)])
    return con.execute(f'select count(*) from "{table}"').fetchone()[0]


def main(argv: list[str]) -> int:
    mirror, database = Path(argv[0]), Path(argv[1])
    started = time.perf_counter()
    con = duckdb.connect(str(database))
    report = []
    for path, source, table in pipeline_files(mirror):
        t0 = time.perf_counter()
        encoding, skip = encoding_of(path), header_line(path, source)
        readable = transcoded(path, database.parent) if encoding == "cp1252" else path
        duckdb_encoding = "utf-8" if encoding == "cp1252" else encoding
        try:
            rows, lenient = load(con, readable, table, duckdb_encoding, skip, STRICT), False
        except duckdb.Error:
            rows, lenient = load(con, readable, table, duckdb_encoding, skip, LENIENT), True
        if readable != path:
            readable.unlink()
        report.append({"file": str(path.relative_to(mirror)), "table": table, "bytes": path.stat().st_size,
                       "rows": rows, "encoding": encoding, "skip": skip, "lenient": lenient,
                       "seconds": round(time.perf_counter() - t0, 3)})
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    con.close()
    print(json.dumps({"files": report, "rows": sum(f["rows"] for f in report), "duckdb_threads": threads,
                      "seconds": round(time.perf_counter() - started, 3)}))
    return 0 if report else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
