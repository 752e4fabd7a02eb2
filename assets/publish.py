"""Publish the reader-facing tables: Parquet files and a read-only DuckDB, swapped in atomically.

Readers (analysts, dashboards) never open the warehouse, which has one writer; they read
``$SCHOOL_GROUPS_HOME/published/``. Every output is written beside its published copy and
renamed over it, so a reader sees the old file or the new one, never half of either. The
step refuses to run when the latest evaluation of any blocking check on a published table
(or anything upstream of it) failed: then every published byte stays as it was.
"""


import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from dagster import (
    AssetCheckKey,
    AssetExecutionContext,
    AssetsDefinition,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    ResourceParam,
    asset,
)
from dagster_duckdb import DuckDBResource

from school_groups.markdown import markdown_table
from school_groups.sources.fetch import is_synthetic, source_mode
from school_groups.run_inputs import inputs_fingerprint, record_published
from school_groups.settings import SAMPLE_DIR, Settings
from school_groups.transactions import naming_the_path
from school_groups.specs import SQL_ROOT, apply_comments, load_specs, published_tables

# The tables whose spec says ``published: true`` (dbt_like_sql/<layer>/<name>.yml).
PUBLISHED_TABLES = published_tables()
PUBLISHED_DB = "published.duckdb"


def published_name(table: str) -> str:
    return table.replace(".", "__")


def latest_evaluation(context: AssetExecutionContext, check_key: AssetCheckKey):
    """(passed, severity, run_id) of a check's latest evaluation, or None if it never ran."""
    history = context.instance.event_log_storage.get_asset_check_execution_history(check_key, limit=1)
    event = history[0].event if history else None
    evaluation = event.dagster_event.event_specific_data if event and event.dagster_event else None
    if evaluation is None:
        return None
    return bool(evaluation.passed), evaluation.severity.value, history[0].run_id


def check_name(key: AssetCheckKey) -> str:
    return f"{key.asset_key.to_user_string()}:{key.name}"


def replace_atomically(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)       # same directory, same filesystem: an atomic rename


def build_publish_asset(blocking: list[AssetCheckKey], advisory: list[AssetCheckKey],
                        sql_root: Path = SQL_ROOT) -> AssetsDefinition:
    """The publish step, gated on the latest evaluation of every ``blocking`` check."""

    @asset(
        key=AssetKey(["publish", "published"]),
        deps=[AssetKey(t.split(".")) for t in published_tables(sql_root)],
        metadata={"tables": MetadataValue.json(list(published_tables(sql_root)))},
        group_name="publish",
        kinds={"duckdb", "parquet"},
        pool="warehouse",
        description="Exports the reader-facing tables to published/<schema>__<table>.parquet and a read-only "
                    "published.duckdb (tables plus meta.publication: run id, source file hashes, check summary), "
                    "each written beside and renamed into place. Refuses when a blocking check failed.",
    )
    def published(context: AssetExecutionContext, warehouse: DuckDBResource,
                  settings: ResourceParam[Settings]) -> MaterializeResult:
        specs = load_specs(sql_root)
        tables = published_tables(sql_root)
        context.log.info(f"publishing {len(tables)} tables to {settings.published_dir}")
        latest = {key: latest_evaluation(context, key) for key in [*blocking, *advisory]}
        failures = sorted(check_name(k) for k in blocking if latest[k] is not None and not latest[k][0])
        if failures:
            raise Failure(f"not publishing: blocking checks failed: {', '.join(failures)}; "
                          "the previous published outputs are left as they were",
                          metadata={"failed_checks": MetadataValue.json(failures)})
        summary = [{"check": check_name(k), "blocking": k in blocking,
                    "passed": None if latest[k] is None else latest[k][0],
                    "run_id": None if latest[k] is None else latest[k][2]} for k in latest]
        out = settings.published_dir
        with warehouse.get_connection() as con:
            fingerprint = publication_fingerprint(con, summary, tables)
            inputs = inputs_fingerprint(con, settings.thresholds)
            unchanged = (out / PUBLISHED_DB).exists() and con.execute(
                "select fingerprint from meta.publish_state").fetchall() == [(fingerprint,)]
            if unchanged:
                # Same tables, same check outcomes: what readers have is already current.
                record_published(con, inputs, context.run_id)
        if unchanged:
            return MaterializeResult(metadata={"published_dir": MetadataValue.path(str(out)), "republished": False})
        try:
            counts, provenance = export(context.run_id, warehouse, out, summary, specs)
        except Exception as exc:
            # a full disk or an unwritable folder: say which folder first (temp files are cleared by
            # the next run; the published files were never touched)
            named = naming_the_path(exc, out, "writing the published files")
            if named is exc:
                raise
            raise named from exc
        with warehouse.get_connection() as con:
            con.execute("create or replace table meta.publish_state as select ? as fingerprint", [fingerprint])
            record_published(con, inputs, context.run_id)
        return MaterializeResult(metadata={
            **provenance_metadata(provenance),
            "republished": True,
            "published_dir": MetadataValue.path(str(out)),
            "tables": MetadataValue.md(markdown_table(["table", "rows"], sorted(counts.items()))),
            "checks_passed": sum(1 for c in summary if c["passed"]),
            "dagster/row_count": sum(counts.values()),
        })

    return published


def provenance_metadata(provenance: dict) -> dict:
    """Where the published figures come from (``fetch.source_mode``), as the UI shows it beside the
    publication: on synthetic data, a line no one can miss."""
    meta = {"source_mode": provenance["source_mode"]}
    if provenance["synthetic_generator"]:
        meta["SYNTHETIC DATA"] = ("made-up schools and groups, for demonstration only; generated by "
                                  f"{json.dumps(provenance['synthetic_generator'])}: no figure describes a real "
                                  "school or group")
    return meta


def publication_fingerprint(con, summary: list[dict], tables: tuple[str, ...] = PUBLISHED_TABLES) -> str:
    """What the published files depend on: the published tables' build fingerprints (for tables
    written in Python, which have none, a hash of their rows) and the outcomes of the checks
    recorded with them."""
    con.execute("create schema if not exists meta; create table if not exists meta.publish_state (fingerprint varchar)")
    built = dict(con.execute("select model, fingerprint from meta.model_state where model in "
                             f"({', '.join('?' for _ in tables)})", list(tables)).fetchall())
    content = [(t, built.get(t) or con.execute(f"select count(*), bit_xor(hash(r)) from {t} r").fetchall())
               for t in tables]
    outcomes = sorted((c["check"], c["passed"]) for c in summary)
    return hashlib.sha256(repr((content, outcomes)).encode()).hexdigest()


def export(run_id: str, warehouse: DuckDBResource, out: Path, summary: list[dict],
           specs: dict) -> tuple[dict[str, int], dict]:
    """Write every published table beside its published copy, then rename each into place; returns the
    rows per table and where the files came from (``fetch.source_mode``)."""
    out.mkdir(parents=True, exist_ok=True)
    stamp = run_id[:8]
    tmp_db = out / f".{PUBLISHED_DB}.{stamp}.tmp"
    if tmp_db.exists():
        tmp_db.unlink()
    counts: dict[str, int] = {}
    staged: list[tuple[Path, Path]] = []
    with warehouse.get_connection() as con:
        loaded = con.execute("select source, snapshot_date::varchar, file_name, sha256, origin from raw.source_files "
                             "where status = 'loaded' order by 1, 2").fetchall()
        sources_rows = [(*r[:4], is_synthetic(r[4])) for r in loaded]
        synthetic = any(r[4] for r in sources_rows)
        provenance = source_mode([r[4] for r in loaded], SAMPLE_DIR)
        con.execute(f"attach '{tmp_db}' as pub")
        try:
            con.execute("create schema pub.meta")
            for table in (t for t, spec in specs.items() if spec.published):
                schema, name = table.split(".")
                con.execute(f"create schema if not exists pub.{schema}")
                con.execute(f'create table pub.{schema}."{name}" as select * from {schema}."{name}"')
                apply_comments(con, specs[table], catalog="pub")
                counts[table] = con.execute(f'select count(*) from {schema}."{name}"').fetchall()[0][0]
                parquet_tmp = out / f".{published_name(table)}.parquet.{stamp}.tmp"
                con.execute(f"copy (select * from {schema}.\"{name}\") to '{parquet_tmp}' (format parquet)")
                staged.append((parquet_tmp, out / f"{published_name(table)}.parquet"))
            # synthetic_data: some figure rests on a generated mirror, so every reader must be told
            con.execute("create table pub.meta.publication (run_id varchar, published_at timestamptz, "
                        "source_files json, checks json, row_counts json, synthetic_data boolean, "
                        "source_mode varchar, synthetic_generator json)")
            con.execute("insert into pub.meta.publication values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [run_id, datetime.now(timezone.utc),
                         json.dumps([dict(zip(("source", "snapshot_date", "file_name", "sha256", "synthetic"), r))
                                     for r in sources_rows]),
                         json.dumps(summary), json.dumps(counts), synthetic, provenance["source_mode"],
                         json.dumps(provenance["synthetic_generator"])])
            apply_comments(con, specs["meta.publication"], catalog="pub")
        finally:
            con.execute("detach pub")
    # Everything is written; only now does anything published change.
    for tmp, final in [*staged, (tmp_db, out / PUBLISHED_DB)]:
        replace_atomically(tmp, final)
    # one writer at a time (the warehouse pool): any other temp file is a stopped run's leftover
    for leftover in out.glob(".*.tmp*"):
        leftover.unlink(missing_ok=True)
    return counts, provenance
