"""``meta.settings``: the analysis thresholds the SQL models read, from the typed settings.

SQL models carry no magic numbers: a threshold is a row here, set from the environment
(``pipelines/settings.py``) and recorded with the tables it produced.
"""

from dagster import AssetKey, MaterializeResult, MetadataValue, asset

from assets.metadata import markdown_table
from pipelines.resources import SourcesResource, WarehouseResource

THRESHOLDS = {
    "inspection_cycle_years": "Routine inspection cycle; older evidence is beyond the cycle",
    "stale_after_years": "Evidence older than this is stale (the legal limit between school inspections is five years)",
}


@asset(key=AssetKey(["meta", "settings"]), group_name="meta", kinds={"duckdb"}, pool="warehouse",
       description="One row per analysis threshold the SQL models read (key, numeric value, what it means), "
                   "from the environment-driven settings.")
def settings_table(warehouse: WarehouseResource, sources: SourcesResource) -> MaterializeResult:
    settings = sources.settings()
    rows = [(key, float(getattr(settings, key)), text) for key, text in THRESHOLDS.items()]
    with warehouse.get_connection() as con:
        con.execute("begin transaction")
        con.execute("create schema if not exists meta")
        con.execute("create or replace table meta.settings (key varchar primary key, value double, description varchar)")
        con.executemany("insert into meta.settings values (?, ?, ?)", rows)
        con.execute("commit")
    return MaterializeResult(metadata={"dagster/row_count": len(rows),
                                       "settings": MetadataValue.md(markdown_table(["key", "value", "meaning"], rows))})
