"""SQL models: one ``dbt_like_sql/<layer>/<name>.sql`` file = one Dagster asset = one table.

A model file is a single SELECT (CTEs welcome) whose leading ``--`` comment says what one row
is; that comment becomes the asset description. Dependencies are the tables the statement
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
from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, TableColumn, TableSchema, asset

from assets.metadata import markdown_table

from .resources import WarehouseResource
from .settings import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "dbt_like_sql"
MACROS = SQL_ROOT / "macros.sql"
LAYERS = ("staging", "quarantine", "core", "patterns", "sampling")


@dataclass(frozen=True)
class SqlModel:
    layer: str
    name: str
    path: Path
    sql: str
    description: str
    reads: tuple[tuple[str, str], ...]     # (schema, table) pairs the statement reads

    @property
    def table(self) -> str:
        return f"{self.layer}.{self.name}"

    @property
    def key(self) -> AssetKey:
        return AssetKey([self.layer, self.name])


def leading_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("--"):
            lines.append(stripped[2:].strip())
        elif stripped or lines:
            break
    return "\n".join(lines).strip()


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
    models = []
    for layer in LAYERS:
        for path in sorted((root / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            description = leading_comment(sql)
            if not description:
                raise ValueError(f"{path}: a model starts with a comment saying what one row is")
            models.append(SqlModel(layer, path.stem, path, sql.strip().rstrip(";"), description, tables_read(sql, path)))
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
        rows = con.execute("select fingerprint from meta.model_state where model = ?", [f"{schema}.{table}"]).fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def model_fingerprint(con: duckdb.DuckDBPyConnection, model: SqlModel) -> str:
    con.execute(STATE_DDL)
    parts = [MACROS.read_text(encoding="utf-8"), model.sql] + [input_fingerprint(con, schema, table) for schema, table in model.reads]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_up_to_date(con: duckdb.DuckDBPyConnection, model: SqlModel, fingerprint: str) -> bool:
    con.execute(STATE_DDL)
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                         [model.layer, model.name]).fetchall()[0][0]
    stored = con.execute("select fingerprint from meta.model_state where model = ?", [model.table]).fetchall()
    return bool(exists) and bool(stored) and stored[0][0] == fingerprint


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The shared macros (Wilson intervals, band ranks), temporary to this connection."""
    con.execute(MACROS.read_text(encoding="utf-8"))


def build_model(con: duckdb.DuckDBPyConnection, model: SqlModel, fingerprint: str | None = None) -> None:
    """Rebuild the table in one transaction, recording the inputs' fingerprint with it."""
    con.execute(STATE_DDL)
    create_macros(con)
    con.execute("begin transaction")
    try:
        con.execute(f"create schema if not exists {model.layer}")
        con.execute(f'create or replace table {model.layer}."{model.name}" as\n{model.sql}')
        con.execute("insert or replace into meta.model_state values (?, ?, now())",
                    [model.table, fingerprint or model_fingerprint(con, model)])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def model_metadata(con: duckdb.DuckDBPyConnection, model: SqlModel) -> dict:
    table = f'{model.layer}."{model.name}"'
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    described = con.execute(f"describe {table}").fetchall()
    preview = con.execute(f"select * from {table} limit 5").fetchall()
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": TableSchema(columns=[TableColumn(c[0], c[1]) for c in described]),
        "preview": MetadataValue.md(markdown_table([c[0] for c in described], preview)),
        "sql_file": str(model.path.relative_to(PROJECT_ROOT)),
    }


def build_sql_asset(model: SqlModel, known: set[AssetKey]) -> AssetsDefinition:
    deps = [AssetKey([schema, table]) for schema, table in model.reads]
    unknown = [d.to_user_string() for d in deps if d not in known]
    if unknown:
        raise ValueError(f"{model.path}: reads {unknown}, which no asset produces")

    @asset(key=model.key, deps=deps, group_name=model.layer, kinds={"duckdb", "sql"}, pool="warehouse",
           description=model.description, metadata={"sql_file": str(model.path.relative_to(PROJECT_ROOT))})
    def sql_model(warehouse: WarehouseResource) -> MaterializeResult:
        with warehouse.get_connection() as con:
            fingerprint = model_fingerprint(con, model)
            # Unchanged SQL and unchanged inputs: the table already holds the answer.
            rebuilt = not is_up_to_date(con, model, fingerprint)
            if rebuilt:
                build_model(con, model, fingerprint)
            return MaterializeResult(metadata={**model_metadata(con, model), "rebuilt": rebuilt})

    return sql_model


def build_sql_assets(upstream: set[AssetKey], root: Path = SQL_ROOT) -> list[AssetsDefinition]:
    models = discover(root)
    known = upstream | {m.key for m in models}
    return [build_sql_asset(m, known) for m in models]
