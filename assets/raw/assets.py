"""Raw-layer Dagster assets, one per registry source, generated rather than written out.

Each asset fetches what its source offers now (live, mirror or sample), loads every new
snapshot into ``raw.<source>``, runs the table's checks (its spec) and reports what it did.
Writes share the ``warehouse`` pool, so only one asset writes to the DuckDB file at a time.

``raw.source_files`` (the manifest) comes after every raw asset and is the run's gate: when
no input changed since the last publication (``school_groups.run_inputs``) it yields no
materialisation, and Dagster skips every model, the publication and the report after it.
"""


from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableSchema,
    ResourceParam,
    asset,
)
from dagster_duckdb import DuckDBResource

from school_groups.run_inputs import inputs_fingerprint, last_published

from school_groups.sources.fetch import Fetcher
from school_groups.sources.progress import DownloadProgress
from school_groups.sources.registry import SOURCES, Source
from school_groups.markdown import markdown_table
from school_groups.settings import Settings

from ..checks import run_checks, spec_asset

from school_groups.raw.load import refuse_future_snapshot, LoadOutcome, ensure_manifest, ensure_raw_table, load_file, loaded_urls, one_checkpoint, quote, table_columns

WAREHOUSE_POOL = "warehouse"
PREVIEW_ROWS = 5
PREVIEW_COLUMNS = 8


def outcomes_markdown(outcomes: list[LoadOutcome]) -> str:
    return markdown_table(
        ["snapshot", "file", "status", "rows", "layout (era)", "encoding", "sha256"],
        [(o.snapshot_date, o.file_name, o.describe(), o.rows if o.status == "loaded" else o.rows_held, o.era or ("unrecognised" if o.status == "loaded" else ""), o.encoding or "", o.sha256[:12])
         for o in outcomes])


def raw_asset_key(source: Source) -> AssetKey:
    return AssetKey(["raw", source.name])


def build_raw_asset(source: Source) -> AssetsDefinition:
    era_list = "\n".join(f"- {era.name}: {len(era.columns)} columns" for era in source.eras)

    spec = spec_asset(source.table)

    @asset(
        key=raw_asset_key(source),
        group_name="raw",
        kinds={"duckdb", "csv"},
        pool=WAREHOUSE_POOL,
        description=f"{spec['description']}\n\nPublisher: {source.publisher}. "
                    f"Cadence: {source.cadence}. Licence: {source.licence}.\n\nKnown layouts:\n{era_list}",
        check_specs=spec["check_specs"],
        metadata={
            **spec["metadata"],
            "publisher": source.publisher,
            "cadence": source.cadence,
            "licence": source.licence,
            "published_encoding": source.published_encoding,
            "landing_page": MetadataValue.url(source.landing_page) if source.landing_page else "",
            "table": source.table,
        },
        tags={"publisher": source.publisher_group},
    )
    def raw_source(context: AssetExecutionContext, warehouse: DuckDBResource,
                   settings: ResourceParam[Settings]) -> MaterializeResult:
        settings = settings.validated()
        fetcher = Fetcher(settings, logger=context.log,
                          progress=lambda label: DownloadProgress(label, context.log.info))
        with warehouse.get_connection() as con:
            ensure_manifest(con)
            ensure_raw_table(con, source)
            outcomes = []
            with one_checkpoint(con):
                for file in fetcher.fetch(source, skip_urls=loaded_urls(con, source.name)):
                    refuse_future_snapshot(file, int(settings.threshold("future_snapshot_tolerance_days")))
                    outcome = load_file(con, file, mode=settings.mode, run_id=context.run_id)
                    context.log.info(f"{source.name} {file.snapshot_date}: {outcome.describe()} from {file.path.name}")
                    if outcome.missing_columns or outcome.added_columns:
                        context.log.warning(
                            f"{file.path.name}: header differs from every known layout; missing "
                            f"{list(outcome.missing_columns)}, new {list(outcome.added_columns)} (loaded by name)")
                    outcomes.append(outcome)
            if not outcomes:
                where = settings.mirror_dir or settings.govuk_base_url
                context.log.warning(f"{source.name}: no new file found for this source in {where}")
            return MaterializeResult(metadata=table_metadata(con, source, outcomes, settings.mode),
                                     check_results=run_checks(source.table, con, settings, context.run_id, context.log))

    return raw_source


def table_metadata(con, source: Source, outcomes: list[LoadOutcome], mode: str) -> dict:
    columns = table_columns(con, source.name)
    meta: dict = {"mode": mode, "files_seen": len(outcomes),
                  "snapshots_loaded_this_run": sum(o.status == "loaded" for o in outcomes),
                  "rows_loaded_this_run": sum(o.rows for o in outcomes)}
    if outcomes:
        meta["files"] = MetadataValue.md(outcomes_markdown(outcomes))
    if not columns:
        meta["dagster/row_count"] = 0
        return meta
    table = source.table
    total, snapshots, latest = con.execute(
        f"select count(*), count(distinct _snapshot_date), max(_snapshot_date) from {table}").fetchall()[0]
    meta["dagster/row_count"] = total
    meta["snapshots_in_table"] = snapshots
    meta["latest_snapshot"] = str(latest)
    meta["dagster/column_schema"] = TableSchema(columns=[
        TableColumn(c, "bigint" if c == "_row_number" else "date" if c == "_snapshot_date" else "varchar")
        for c in columns])
    manifest = con.execute(
        "select file_name, origin, sha256, bytes from raw.source_files where source = ? and snapshot_date = ?",
        [source.name, latest]).fetchall()
    if manifest:
        meta["latest_source_file"] = manifest[0][0]
        meta["latest_origin"] = manifest[0][1]
        meta["latest_sha256"] = manifest[0][2]
        meta["latest_bytes"] = manifest[0][3]
    shown = columns[:PREVIEW_COLUMNS]
    rows = con.execute(
        f"select {', '.join(quote(c) for c in shown)} from {table} where _snapshot_date = ? "
        f"order by _row_number limit {PREVIEW_ROWS}", [latest]).fetchall()
    meta["preview"] = MetadataValue.md(markdown_table(shown, rows))
    return meta


RAW_ASSETS = [build_raw_asset(source) for source in SOURCES]


@asset(
    **spec_asset("raw.source_files"),
    deps=[raw_asset_key(s) for s in SOURCES],
    group_name="raw",
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    output_required=False,
)
def source_files(context: AssetExecutionContext, warehouse: DuckDBResource, settings: ResourceParam[Settings]):
    with warehouse.get_connection() as con:
        ensure_manifest(con)
        rows = con.execute(
            "select source, snapshot_date, file_name, status, rows, era, encoding, left(sha256, 12), fetched_at "
            "from raw.source_files order by source, snapshot_date").fetchall()
        checked = run_checks("raw.source_files", con, settings, context.run_id, context.log)
        fingerprint = inputs_fingerprint(con, settings.thresholds)
        last = last_published(con)
    yield from checked
    if last and last[0] == fingerprint and (settings.published_dir / "published.duckdb").exists():
        # Same files, thresholds, models and code as the last publication: nothing to rebuild.
        context.log.info(f"no input changed since the publication of run {last[1]}: models, checks, publication "
                         "and report are skipped")
        return
    yield MaterializeResult(metadata={
        "dagster/row_count": len(rows),
        "inputs_fingerprint": fingerprint[:16],
        "manifest": MetadataValue.md(markdown_table(
            ["source", "snapshot", "file", "status", "rows", "layout", "encoding", "sha256", "fetched_at"], rows)),
    })
