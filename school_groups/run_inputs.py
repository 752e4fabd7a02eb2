"""What a full run's outputs depend on, as one fingerprint: when it equals the one recorded at the
last publication, a rerun has nothing to do.

It covers the loaded source files (the manifest's hashes), every threshold, the SQL models and
their specs, and the project's own code (a fixed bug must rebuild what it touched).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from .settings import PROJECT_ROOT
from .specs import SQL_ROOT

CODE_DIRS = ("school_groups", "assets")
STATE_DDL = "create schema if not exists meta; create table if not exists meta.run_inputs (fingerprint varchar, run_id varchar, published_at timestamptz)"


def _files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(con: duckdb.DuckDBPyConnection, thresholds: dict, sql_root: Path = SQL_ROOT) -> str:
    manifest = con.execute("select source, snapshot_date, sha256, status from raw.source_files order by 1, 2").fetchall()
    code = [p for d in CODE_DIRS for p in (PROJECT_ROOT / d).rglob("*") if p.suffix in (".py", ".sql", ".toml", ".csv")]
    parts = [repr(manifest), repr(sorted((k, v) for k, (v, _) in thresholds.items())),
             _files_digest([p for p in sql_root.rglob("*") if p.is_file()]), _files_digest(code)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def last_published(con: duckdb.DuckDBPyConnection) -> tuple[str, str] | None:
    """(fingerprint, run id) recorded by the last publication, if any."""
    con.execute(STATE_DDL)
    rows = con.execute("select fingerprint, run_id from meta.run_inputs").fetchall()
    return rows[0] if rows else None


def record_published(con: duckdb.DuckDBPyConnection, fingerprint: str, run_id: str) -> None:
    con.execute(STATE_DDL)
    con.execute("delete from meta.run_inputs")
    con.execute("insert into meta.run_inputs values (?, ?, now())", [fingerprint, run_id])
