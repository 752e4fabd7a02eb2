"""Where the published files are, which publication they hold, and one query against them.

No Streamlit here (``cache.py`` adds the caching), so this is testable on its own. Every query
opens its own read-only connection and closes it: the publish step replaces ``published.duckdb``
by renaming a new file over it, and a connection kept open would go on reading the old one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from school_groups.settings import load_settings

DB_NAME = "published.duckdb"


def published_dir() -> Path:
    """``$SCHOOL_GROUPS_HOME/published`` (default ``./data/published``), as the pipeline writes it."""
    return load_settings().published_dir


def file_identity(db: Path) -> tuple | None:
    """What changes when a new publication is renamed into place (inode, size, mtime); None if absent.
    Cheap enough to check on every page load, unlike opening the file."""
    try:
        st = os.stat(db)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


CATALOG = "published"


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file at ``db`` as it is now.

    Not ``duckdb.connect(db, read_only=True)``: DuckDB keeps one open database per path within a
    process, so while another session's query still reads the old file, a new connect to the path
    would be handed that old file too, after the publish step renamed a new one into place (and the
    old run id would then be cached as the new publication). A fresh in-memory database that
    attaches the file read-only always opens what is at the path now."""
    con = duckdb.connect(":memory:")
    try:
        quoted = str(db).replace("'", "''")          # ATTACH takes a literal, not a parameter
        con.execute(f"attach '{quoted}' as {CATALOG} (read_only)")
        con.execute(f"use {CATALOG}")
    except duckdb.Error:
        con.close()
        raise
    return con


def query(db: Path, sql: str, params: tuple = ()) -> pl.DataFrame:
    """Rows of ``sql`` on the published file, through a fresh read-only connection."""
    con = connect(db)
    try:
        return con.sql(sql, params=list(params) or None).pl()
    finally:
        con.close()


@dataclass(frozen=True)
class Publication:
    """The publication the files hold now (``meta.publication``) and what the dashboard needs of it."""

    db: Path
    run_id: str
    published_at: str | None
    synthetic_data: bool | None
    source_mode: str | None
    tables: frozenset[str]                      # 'schema.table' of every table in the file
    columns: dict[str, frozenset[str]] = field(hash=False, default_factory=dict)   # table -> its columns
    source_files: list[dict] = field(hash=False, default_factory=list)
    checks: list[dict] = field(hash=False, default_factory=list)
    row_counts: dict = field(hash=False, default_factory=dict)

    def has(self, table: str, column: str | None = None) -> bool:
        if column is None:
            return table in self.tables
        return column in self.columns.get(table, frozenset())

    def select(self, table: str, *columns: str) -> str:
        """A select list of ``columns`` of ``table``, NULL for any this publication's table lacks (the
        published tables gain columns over time; a page reads them by name and copes without). A column
        given as 'name:TYPE' is typed TYPE when missing (default DOUBLE, as most are figures)."""
        out = []
        for spec in columns:
            name, _, kind = spec.partition(":")
            out.append(name if self.has(table, name) else f"cast(null as {kind or 'double'}) as {name}")
        return ", ".join(out)


def _json(value) -> object:
    if value is None or isinstance(value, (list, dict)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return None


def read_publication(db: Path) -> Publication:
    """The newest row of ``meta.publication`` and the file's catalogue; columns read by name, since the
    table gains columns over time (``source_mode``)."""
    con = connect(db)
    try:
        catalogue = con.execute("select table_schema || '.' || table_name, column_name from information_schema.columns "
                                "where table_catalog = ?", [CATALOG]).fetchall()
        columns: dict[str, set[str]] = {}
        for table, column in catalogue:
            columns.setdefault(table, set()).add(column)
        if "meta.publication" not in columns:
            raise LookupError(f"{db}: no meta.publication table; this file was not written by the publish step")
        order = "order by published_at desc nulls last" if "published_at" in columns["meta.publication"] else ""
        cur = con.execute(f"select * from meta.publication {order} limit 1")
        names = [c[0] for c in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    row = dict(zip(names, rows[0])) if rows else {}
    published_at = row.get("published_at")
    if isinstance(published_at, datetime):
        published_at = (published_at.astimezone(timezone.utc) if published_at.tzinfo else published_at)
        published_at = published_at.strftime("%Y-%m-%d %H:%M UTC")
    return Publication(
        db=db,
        run_id=str(row.get("run_id") or "unknown"),
        published_at=None if published_at is None else str(published_at),
        synthetic_data=row.get("synthetic_data"),
        source_mode=row.get("source_mode"),
        tables=frozenset(columns),
        columns={t: frozenset(c) for t, c in columns.items()},
        source_files=_json(row.get("source_files")) or [],
        checks=_json(row.get("checks")) or [],
        row_counts=_json(row.get("row_counts")) or {},
    )
