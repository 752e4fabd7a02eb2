"""SQL model assets: one ``dbt_like_sql/<layer>/<name>.sql`` (+ its ``.yml`` spec) = one asset = one table.

The runner (``school_groups.sql_runner``) builds the table; this module wraps each model in an
asset whose description, column schema and checks come from its spec. The checks run in the
same step, after the table is built.
"""


import time
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, ResourceParam, asset
from dagster_duckdb import DuckDBResource

from school_groups.markdown import markdown_table
from school_groups.quality import check_reads
from school_groups.settings import PROJECT_ROOT, Settings
from school_groups.specs import SQL_ROOT
from school_groups.sql_runner import SqlModel, build_model, discover, is_up_to_date, model_fingerprint

from .checks import asset_description, check_specs, column_schema, definition_metadata, run_checks, table_key

# Models that read no other model are gated on the manifest asset: when it reports that no
# input changed since the last publication, they (and so everything after them) are skipped.
GATE = AssetKey(["raw", "source_files"])


def model_metadata(con: duckdb.DuckDBPyConnection, model: SqlModel) -> dict:
    table = f'{model.layer}."{model.name}"'
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    described = con.execute(f"describe {table}").fetchall()
    preview = con.execute(f"select * from {table} limit 5").fetchall()
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": column_schema(model.spec, {c[0]: c[1] for c in described}),
        "preview": MetadataValue.md(markdown_table([c[0] for c in described], preview)),
    }


def build_sql_asset(model: SqlModel, known: set[AssetKey], models: set[AssetKey]) -> AssetsDefinition:
    deps = [AssetKey([schema, table]) for schema, table in sorted(set(model.reads) | check_reads(model.spec))]
    unknown = [d.to_user_string() for d in deps if d not in known]
    if unknown:
        raise ValueError(f"{model.path}: reads {unknown}, which no asset produces")
    if not any(d in models for d in deps) and GATE in known and GATE not in deps:
        deps.append(GATE)

    @asset(key=table_key(model.table), deps=deps, group_name=model.layer, kinds={"duckdb", "sql"}, pool="warehouse",
           description=asset_description(model.spec), check_specs=check_specs(model.spec),
           metadata={**definition_metadata(model.spec), "sql_file": str(model.path.relative_to(PROJECT_ROOT))
                     if model.path.is_relative_to(PROJECT_ROOT) else str(model.path)})
    def sql_model(context: AssetExecutionContext, warehouse: DuckDBResource,
                  settings: ResourceParam[Settings]) -> MaterializeResult:
        started = time.monotonic()
        with warehouse.get_connection() as con:
            fingerprint = model_fingerprint(con, model)
            # Unchanged SQL and unchanged inputs: the table already holds the answer.
            rebuilt = not is_up_to_date(con, model, fingerprint)
            if rebuilt:
                build_model(con, model, fingerprint)
            metadata = {**model_metadata(con, model), "rebuilt": rebuilt}
            checked = run_checks(model.spec, con, settings, context.run_id, context.log)
        # one progress line per model, so a long run shows where it is
        failed = [c.check_name for c in checked if not c.passed]
        context.log.info(f"{model.table}: {'built' if rebuilt else 'already up to date'}, "
                         f"{metadata['dagster/row_count']:,} rows, {len(checked) - len(failed)} of {len(checked)} "
                         f"checks passed{' (failed: ' + ', '.join(failed) + ')' if failed else ''} "
                         f"({time.monotonic() - started:.1f} s)")
        return MaterializeResult(metadata=metadata, check_results=checked)

    return sql_model


def build_sql_assets(upstream: set[AssetKey], root: Path = SQL_ROOT) -> list[AssetsDefinition]:
    models = discover(root)
    model_keys = {table_key(m.table) for m in models}
    return [build_sql_asset(m, upstream | model_keys, model_keys) for m in models]
