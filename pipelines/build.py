"""``build_defs``: the project's Definitions for given settings and SQL folder.

Tests and the CLI call it with their own settings instead of editing the environment;
``pipelines.definitions`` calls it once with the settings the environment gives.
Every check is declared in a table's spec and runs inside the step that builds the table.
"""

from __future__ import annotations

from pathlib import Path

from dagster import AssetCheckKey, Definitions, in_process_executor

from assets.meta import settings_table
from assets.publish import build_publish_asset
from assets.raw.assets import RAW_ASSETS, source_files
from assets.report.asset import system_report
from assets.sampling.assets import SAMPLING_ASSETS
from assets.sql_models import build_sql_assets
from school_groups.settings import Settings, load_settings
from school_groups.specs import SQL_ROOT, load_specs

from .jobs import JOBS
from .resources import build_resources
from .schedules import SCHEDULES
from .sensors import SENSORS

PYTHON_TABLES = [*RAW_ASSETS, source_files, settings_table, *SAMPLING_ASSETS]


def check_keys(assets) -> tuple[list[AssetCheckKey], list[AssetCheckKey]]:
    """(blocking, advisory) check keys of every asset's checks."""
    specs = [s for a in assets for s in a.check_specs]
    return [s.key for s in specs if s.blocking], [s.key for s in specs if not s.blocking]


def build_defs(settings: Settings | None = None, sql_root: Path = SQL_ROOT) -> Definitions:
    settings = settings or load_settings()
    models = build_sql_assets({key for a in PYTHON_TABLES for key in a.keys}, sql_root)
    tables = [*PYTHON_TABLES, *models]
    built = {key.to_user_string().replace("/", ".") for a in tables for key in a.keys}
    unbuilt = [t for t, s in load_specs(sql_root).items() if s.published and t not in built]
    if unbuilt:
        raise ValueError(f"published in their spec but built by no asset: {unbuilt}")
    blocking, advisory = check_keys(tables)
    publish = build_publish_asset(blocking=blocking, advisory=advisory, sql_root=sql_root)
    return Definitions(
        assets=[*tables, publish, system_report],
        jobs=JOBS,
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources=build_resources(settings),
        # One process, one step at a time: DuckDB allows a single writer per file.
        executor=in_process_executor,
    )
