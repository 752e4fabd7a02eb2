"""The SQL runner: one ``dbt_like_sql/<layer>/<name>.sql`` file = one table.

A model file is a single SELECT (CTEs welcome); its spec (``<name>.yml`` beside it, see
``specs``) describes the table, its columns and its checks. Dependencies are the tables the statement
reads, as DuckDB's own parser reports them (``duckdb.get_table_names``), so adding a model
means adding one file. A model is built with ``create or replace table`` inside a
transaction: if it fails, the previous table stays as it was. A model whose SQL and inputs
are unchanged since its last build (fingerprints in ``meta.model_state``) is not rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .specs import SQL_ROOT, TableSpec, apply_comments, load_specs
from .transactions import transaction
from .vocabulary import vocabulary_macros

MACROS = SQL_ROOT / "macros.sql"
LAYERS = ("staging", "quarantine", "core", "patterns", "sampling")


@dataclass(frozen=True)
class SqlModel:
    layer: str
    name: str
    path: Path
    sql: str
    spec: TableSpec
    reads: tuple[tuple[str, str], ...]     # (schema, table) pairs the statement reads

    @property
    def table(self) -> str:
        return f"{self.layer}.{self.name}"

    @property
    def description(self) -> str:
        return self.spec.description



def cte_names(sql: str) -> set[str]:
    """Names of the statement's top-level CTEs, from DuckDB's serialised syntax tree."""
    tree = json.loads(duckdb.execute("select json_serialize_sql(?)", [sql]).fetchall()[0][0])
    if tree.get("error"):
        raise duckdb.ParserException(tree.get("error_message", "cannot parse"))
    return {entry["key"] for stmt in tree["statements"] for entry in stmt["node"].get("cte_map", {}).get("map", [])}


@functools.cache
def _parser() -> duckdb.DuckDBPyConnection:
    """An in-memory connection that knows the shared macros (DuckDB resolves function names
    while it extracts table names)."""
    con = duckdb.connect()
    create_macros(con)
    return con


def tables_read(sql: str, path: Path | str) -> tuple[tuple[str, str], ...]:
    """Schema-qualified tables a statement reads, from DuckDB's parser (CTE names excluded)."""
    try:
        names = _parser().get_table_names(sql, qualified=True)
        ctes = cte_names(sql)
    except duckdb.Error as exc:
        raise ValueError(f"{path}: DuckDB cannot parse this model: {exc}") from None
    found = set()
    for name in names:
        bare = re.split(r"\s+AS\s+", name, flags=re.I)[0]
        parts = [p.strip('"') for p in bare.split(".")]
        if len(parts) == 1 and parts[0] in ctes:
            continue
        if len(parts) != 2:
            raise ValueError(f"{path}: table {bare!r} must be schema-qualified (e.g. raw.gias_links)")
        found.add((parts[0], parts[1]))
    return tuple(sorted(found))


def discover(root: Path = SQL_ROOT) -> list[SqlModel]:
    specs = load_specs(root)
    models = []
    for layer in LAYERS:
        for path in sorted((root / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            models.append(SqlModel(layer, path.stem, path, sql.strip().rstrip(";"), specs[f"{layer}.{path.stem}"],
                                   tables_read(sql, path)))
    return models


STATE_DDL = """
create schema if not exists meta;
create table if not exists meta.model_state (model varchar primary key, fingerprint varchar, built_at timestamptz);
"""


def input_fingerprint(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """What an input's content depends on: loaded files for raw tables, rows for settings,
    the recorded fingerprint for models."""
    if schema == "raw" and not con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'source_files'").fetchall()[0][0]:
        rows = []
    elif (schema, table) == ("raw", "source_files"):
        rows = con.execute("select source, snapshot_date, sha256, status from raw.source_files order by 1, 2").fetchall()
    elif schema == "raw":
        rows = con.execute("select snapshot_date, sha256 from raw.source_files where source = ? and status = 'loaded' "
                           "order by snapshot_date", [table]).fetchall()
    elif (schema, table) == ("meta", "settings"):
        rows = con.execute("select key, value from meta.settings order by key").fetchall()
    else:
        con.execute(STATE_DDL)
        rows = con.execute("select fingerprint from meta.model_state where model = ?", [f"{schema}.{table}"]).fetchall()
        if not rows and con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                                    [schema, table]).fetchall()[0][0]:
            # A table written in Python (the sample draw): its content, order-independent.
            rows = con.execute(f'select count(*), sum(hash(t)) from {schema}."{table}" t').fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def model_fingerprint(con: duckdb.DuckDBPyConnection, model: SqlModel) -> str:
    con.execute(STATE_DDL)
    parts = [vocabulary_macros(), MACROS.read_text(encoding="utf-8"), model.sql, model.spec.path.read_text(encoding="utf-8")] + [input_fingerprint(con, schema, table) for schema, table in model.reads]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_up_to_date(con: duckdb.DuckDBPyConnection, model: SqlModel, fingerprint: str) -> bool:
    con.execute(STATE_DDL)
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                         [model.layer, model.name]).fetchall()[0][0]
    stored = con.execute("select fingerprint from meta.model_state where model = ?", [model.table]).fetchall()
    return bool(exists) and bool(stored) and stored[0][0] == fingerprint


SETTINGS_DDL = """
create schema if not exists meta;
create table if not exists meta.settings (key varchar primary key, value double, description varchar, config_id varchar);
"""


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The shared macros (Wilson intervals, band ranks, thresholds), temporary to this connection.
    The threshold macros bind to meta.settings, so it must exist (empty until the settings asset
    writes it: a model that reads a threshold then fails naming the key)."""
    if not con.execute("select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'settings'"
                       ).fetchall()[0][0]:
        con.execute(SETTINGS_DDL)
    con.execute(vocabulary_macros())
    con.execute(MACROS.read_text(encoding="utf-8"))


def build_model(con: duckdb.DuckDBPyConnection, model: SqlModel, fingerprint: str | None = None) -> None:
    """Rebuild the table in one transaction, recording the inputs' fingerprint with it."""
    con.execute(STATE_DDL)
    create_macros(con)
    with transaction(con, f"building {model.table}"):
        con.execute(f"create schema if not exists {model.layer}")
        con.execute(f'create or replace table {model.layer}."{model.name}" as\n{model.sql}')
        apply_comments(con, model.spec)
        con.execute("insert or replace into meta.model_state values (?, ?, now())",
                    [model.table, fingerprint or model_fingerprint(con, model)])


def build_all(con: duckdb.DuckDBPyConnection, models: list[SqlModel], available: set[tuple[str, str]]) -> None:
    """Build ``models`` in dependency order, given the tables already ``available``."""
    built, pending = set(available), list(models)
    while pending:
        ready = [m for m in pending if set(m.reads) <= built]
        if not ready:
            raise ValueError(f"models whose inputs are never built: {[m.table for m in pending]}")
        for model in ready:
            build_model(con, model)
            built.add((model.layer, model.name))
        pending = [m for m in pending if m not in ready]
