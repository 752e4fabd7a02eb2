"""Write one parsed snapshot into ``raw.<source>`` and record it in ``raw.source_files``.

Columns are matched by name (case-insensitively, as DuckDB does): a column first seen in a
later layout is added to the table, one that a layout lacks is NULL for its rows. Loading
a snapshot replaces that snapshot's rows; other snapshots are kept, so history accumulates.
Each file is loaded in one transaction: a failure leaves the table as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from school_groups.sources.fetch import LocalFile
from school_groups.sources.registry import Source

from school_groups.transactions import transaction

from .reader import ParsedFile, parse

MANIFEST_SQL = (Path(__file__).parent / "sql" / "source_files.sql").read_text()
PROVENANCE = ("_source_file", "_snapshot_date", "_row_number")


@dataclass(frozen=True)
class LoadOutcome:
    source: str
    snapshot_date: date
    file_name: str
    status: str                 # loaded | unchanged
    rows: int                   # rows written by this load (0 when unchanged)
    sha256: str
    bytes: int
    era: str | None = None
    encoding: str | None = None
    same_as_snapshot: date | None = None
    missing_columns: tuple[str, ...] = ()
    added_columns: tuple[str, ...] = ()
    rows_held: int | None = None   # unchanged: the rows the warehouse already holds from these bytes
    rejoined_rows: tuple[int, ...] = ()   # rows whose spilled last column was joined back

    def describe(self) -> str:
        """For the run's log: "loaded 24,000 rows" or "already loaded (24,000 rows)"."""
        if self.status == "unchanged":
            same = f", as snapshot {self.same_as_snapshot}" if self.same_as_snapshot != self.snapshot_date else ""
            return f"already loaded ({self.rows_held or 0:,} rows{same})"
        if self.rejoined_rows:
            shown = ", ".join(map(str, self.rejoined_rows[:10])) + (", ..." if len(self.rejoined_rows) > 10 else "")
            return (f"loaded {self.rows:,} rows; in {len(self.rejoined_rows):,} of them the last column spilled over "
                    f"unquoted commas and was joined back (rows {shown}; all listed in raw.source_files.repairs)")
        return f"loaded {self.rows:,} rows"


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def ensure_manifest(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MANIFEST_SQL)


def loaded_urls(con: duckdb.DuckDBPyConnection, source: str) -> frozenset[str]:
    ensure_manifest(con)
    rows = con.execute("select origin from raw.source_files where source = ?", [source]).fetchall()
    return frozenset(r[0] for r in rows)


def table_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ? "
        "order by ordinal_position", [name]).fetchall()]


def _already_loaded(con: duckdb.DuckDBPyConnection, file: LocalFile) -> tuple[date, int] | None:
    """The snapshot already holding these exact bytes and its rows, if they are still there."""
    hit = con.execute(
        "select snapshot_date from raw.source_files where source = ? and sha256 = ? and status = 'loaded' "
        "order by snapshot_date limit 1", [file.source.name, file.sha256]).fetchall()
    if not hit or file.source.name not in {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}:
        return None
    day = hit[0][0]
    present = con.execute(f"select count(*) from {file.source.table} where _snapshot_date = ?", [day]).fetchall()
    return (day, present[0][0]) if present[0][0] > 0 else None


class FutureSnapshotError(ValueError):
    """A file dated after today (plus a tolerance): refused before anything is loaded."""


def refuse_future_snapshot(file: LocalFile, tolerance_days: int, today: date | None = None) -> None:
    """A date in a file's name more than ``tolerance_days`` ahead is a typo (20301231 for 20251231);
    loaded, it would become the current snapshot and close every real school's row."""
    today = today or date.today()
    if (file.snapshot_date - today).days > tolerance_days:
        raise FutureSnapshotError(
            f"{file.path.name}: dated {file.snapshot_date}, more than {tolerance_days} days after today ({today}); "
            "refused (a mistyped date?). Rename or remove the file and run again.")


@contextmanager
def one_checkpoint(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Checkpoint once after loading a source's files, not at every file's commit.

    With DuckDB's default (a checkpoint whenever the WAL passes 16 MiB), nearly every snapshot's
    commit checkpointed, and each checkpoint rewrote the table's last, partly filled row group
    (122,880 rows; a GIAS snapshot is 48,000): six GIAS snapshots took 7.7 s to commit and left a
    50 MB file, against 3.6 s (WAL writes and one checkpoint) and 26 MB. Atomicity is unchanged:
    each file is still one transaction, committed to the WAL before ``load_file`` returns, and a
    WAL not yet checkpointed is replayed when the file is next opened.
    """
    before = con.execute("select current_setting('wal_autocheckpoint')").fetchone()[0]
    con.execute("set wal_autocheckpoint = '1TiB'")
    try:
        yield
    finally:
        con.execute(f"set wal_autocheckpoint = '{before}'")
    # Only when every load succeeded: after an error the caller reports that error, and the
    # committed files are checkpointed when the connection closes.
    con.execute("checkpoint")


def load_file(con: duckdb.DuckDBPyConnection, file: LocalFile, *, mode: str, run_id: str | None = None,
              force: bool = False) -> LoadOutcome:
    ensure_manifest(con)
    source = file.source
    held = None if force else _already_loaded(con, file)
    if held is not None:
        same, rows_held = held
        if same != file.snapshot_date:
            _record(con, file, mode, run_id, status="unchanged", same_as=same)
        return LoadOutcome(source.name, file.snapshot_date, file.path.name, "unchanged", 0,
                           file.sha256, file.bytes, same_as_snapshot=same, rows_held=rows_held)

    parsed = parse(file.path, source)
    table = _with_provenance(parsed, file)
    with transaction(con, f"loading {file.path.name}"):
        _write_rows(con, source, parsed.header, table, file.snapshot_date)
        _record(con, file, mode, run_id, status="loaded", parsed=parsed)
    return LoadOutcome(source.name, file.snapshot_date, file.path.name, "loaded", parsed.rows, file.sha256,
                       file.bytes, parsed.era, parsed.encoding, None,
                       tuple(parsed.missing_columns), tuple(parsed.added_columns),
                       rejoined_rows=tuple(parsed.rejoined_rows))


def _with_provenance(parsed: ParsedFile, file: LocalFile) -> pa.Table:
    n = parsed.rows
    return parsed.table.append_column("_source_file", pa.array([file.path.name] * n, pa.string())) \
        .append_column("_snapshot_date", pa.array([file.snapshot_date] * n, pa.date32())) \
        .append_column("_row_number", pa.array(range(1, n + 1), pa.int64()))


def known_columns(source: Source) -> list[str]:
    """Every column of every declared layout, newest layout's order first, case-insensitively unique."""
    seen, out = set(), []
    for era in source.eras:
        for col in era.columns:
            if col.lower() not in seen:
                seen.add(col.lower())
                out.append(col)
    return out


def ensure_raw_table(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Create ``raw.<source>`` with the columns of all known layouts, so models reading any
    layout's columns work whichever snapshots (or none) have been loaded."""
    con.execute("create schema if not exists raw")
    cols = ", ".join(f"{quote(c)} varchar" for c in known_columns(source))
    con.execute(f"create table if not exists raw.{quote(source.name)} ({cols}, _source_file varchar, "
                f"_snapshot_date date, _row_number bigint)")


def _write_rows(con: duckdb.DuckDBPyConnection, source: Source, header: list[str], table: pa.Table,
                snapshot: date) -> None:
    name = source.name
    target = f"raw.{quote(name)}"
    ensure_raw_table(con, source)
    known = {c.lower() for c in table_columns(con, name)}
    for col in header:
        if col.lower() not in known:
            con.execute(f"alter table {target} add column {quote(col)} varchar")
    con.execute(f"delete from {target} where _snapshot_date = ?", [snapshot])
    con.register("_incoming", table)
    try:
        con.execute(f"insert into {target} by name select * from _incoming")
    finally:
        con.unregister("_incoming")


def _record(con: duckdb.DuckDBPyConnection, file: LocalFile, mode: str, run_id: str | None, *, status: str,
            parsed: ParsedFile | None = None, same_as: date | None = None) -> None:
    now = datetime.now(timezone.utc)
    con.execute(
        "insert or replace into raw.source_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [file.source.name, file.snapshot_date, file.path.name, file.candidate.origin, mode, file.sha256,
         file.bytes, file.fetched_at, now if parsed else None, status, same_as,
         parsed.rows if parsed else 0, parsed.encoding if parsed else None,
         parsed.header_line if parsed else None, parsed.era if parsed else None,
         parsed.missing_columns if parsed else None, parsed.added_columns if parsed else None,
         parsed.header if parsed else None, run_id, json.dumps(parsed.repairs) if parsed else None])
