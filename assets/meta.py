"""``meta.settings``: the analysis thresholds the SQL models read, from ``pipelines/thresholds.toml``.

SQL models carry no magic numbers: a threshold is a row here (key, value, meaning), set from
the thresholds file or the environment (``pipelines/settings.py``), and every row carries the
``config_id`` (a hash of all values) that pattern tables record beside their figures.
"""

from dagster import AssetKey, MaterializeResult, MetadataValue, asset

from assets.metadata import markdown_table
from pipelines.resources import SourcesResource, WarehouseResource


@asset(key=AssetKey(["meta", "settings"]), group_name="meta", kinds={"duckdb"}, pool="warehouse",
       description="One row per analysis threshold the SQL models read (key, numeric value, what it means, "
                   "config_id of the whole set), from pipelines/thresholds.toml and the environment.")
def settings_table(warehouse: WarehouseResource, sources: SourcesResource) -> MaterializeResult:
    settings = sources.settings()
    rows = [(key, value, text, settings.config_id) for key, (value, text) in sorted(settings.thresholds.items())]
    with warehouse.get_connection() as con:
        con.execute("begin transaction")
        con.execute("create schema if not exists meta")
        con.execute("create or replace table meta.settings "
                    "(key varchar primary key, value double, description varchar, config_id varchar)")
        con.executemany("insert into meta.settings values (?, ?, ?, ?)", rows)
        con.execute("commit")
    return MaterializeResult(metadata={"dagster/row_count": len(rows), "config_id": settings.config_id,
                                       "settings": MetadataValue.md(markdown_table(["key", "value", "meaning"],
                                                                                   [r[:3] for r in rows]))})
