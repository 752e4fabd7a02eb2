"""Dagster resources: the warehouse connection, and the settings every asset reads.

Settings are loaded once (``school_groups.settings.load_settings``) and handed to assets as the
``settings`` resource, so a test or the CLI passes its own instead of editing the environment.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import InitResourceContext
from dagster_duckdb import DuckDBResource

from school_groups.processes import PID, process_tags
from school_groups.settings import Settings
from school_groups.transactions import naming_the_path


class WarehouseResource(DuckDBResource):
    """``DuckDBResource`` that also closes its connection when the asset body raises.

    dagster-duckdb 0.29 closes only on success; a failed step then keeps the file open in
    this process, and the next connection with other settings (e.g. read-only) is refused.

    It also records which process runs the run (run tags, see pipelines/recovery.py). Every step
    touches the warehouse, and the in-process executor sets this resource up once, in the run's
    own process, before the first step starts and before any step waits for the pool: a run
    killed at any point after that is known to be dead, not taken for a live one.
    """

    def setup_for_execution(self, context: InitResourceContext) -> None:
        run = context.dagster_run
        if context.instance is not None and run is not None and PID not in run.tags:
            context.instance.add_run_tags(run.run_id, process_tags())

    @contextmanager
    def get_connection(self):
        # The file's folder and DuckDB's spill folder may not exist yet on a fresh home.
        if self.database != ":memory:":
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        if self.connection_config.get("temp_directory"):
            Path(self.connection_config["temp_directory"]).mkdir(parents=True, exist_ok=True)
        with super().get_connection() as conn:
            try:
                yield conn
            except duckdb.Error as exc:
                # A write to the warehouse file outside a model's own transaction (check state,
                # settings) fails the same way. Other files (a Parquet export, a download) are named
                # by their callers.
                if self.database not in str(exc):
                    raise
                named = naming_the_path(exc, self.database, "writing the warehouse")
                if named is exc:
                    raise
                raise named from exc
            finally:
                conn.close()


def build_resources(settings: Settings, database: str | Path | None = None) -> dict:
    """The resources of one configuration: ``database`` overrides the warehouse file (tests)."""
    return {
        "warehouse": WarehouseResource(
            database=str(database or settings.warehouse_path),
            connection_config={
                "memory_limit": settings.duckdb_memory_limit,
                "threads": settings.duckdb_threads,
                "temp_directory": settings.duckdb_temp_directory,
            },
        ),
        # A plain object: assets ask for it as ``settings: ResourceParam[Settings]``.
        "settings": settings,
    }
