"""Dagster resources: the warehouse connection, and the settings every asset reads.

Settings are loaded once (``school_groups.settings.load_settings``) and handed to assets as the
``settings`` resource, so a test or the CLI passes its own instead of editing the environment.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from dagster_duckdb import DuckDBResource

from school_groups.settings import Settings


class WarehouseResource(DuckDBResource):
    """``DuckDBResource`` that also closes its connection when the asset body raises.

    dagster-duckdb 0.29 closes only on success; a failed step then keeps the file open in
    this process, and the next connection with other settings (e.g. read-only) is refused.
    """

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
