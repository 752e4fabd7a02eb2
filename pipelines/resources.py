"""Dagster resources: the warehouse connection and where source files come from."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource
from pydantic import Field

from .settings import Settings, export_derived_env, load_settings


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


class SourcesResource(ConfigurableResource):
    """Source mode and network settings; defaults come from ``pipelines.settings``."""

    source: str = Field(description="'live', 'sample', or a mirror directory holding upstream file names")
    home: str = Field(description="Directory for the warehouse, downloads and published outputs")
    gias_base_url: str = Field(default="", description="Override the GIAS download base URL")
    govuk_base_url: str = Field(default="", description="Override the GOV.UK base URL (content API)")

    def settings(self) -> Settings:
        base = load_settings()
        changes = {"source": self.source, "home": Path(self.home).expanduser().resolve()}
        if self.gias_base_url:
            changes["gias_base_url"] = self.gias_base_url
        if self.govuk_base_url:
            changes["govuk_base_url"] = self.govuk_base_url
        return dataclasses.replace(base, **changes).validated()


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or load_settings()
    export_derived_env(settings)
    return {
        "warehouse": WarehouseResource(
            database=EnvVar("SCHOOL_GROUPS_WAREHOUSE"),
            connection_config={
                "memory_limit": settings.duckdb_memory_limit,
                "threads": settings.duckdb_threads,
                "temp_directory": settings.duckdb_temp_directory,
            },
        ),
        "sources": SourcesResource(source=EnvVar("SCHOOL_GROUPS_SOURCE"), home=EnvVar("SCHOOL_GROUPS_HOME")),
    }
