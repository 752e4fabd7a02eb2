"""``meta.settings``: the analysis thresholds the SQL models read, from ``school_groups/thresholds.toml``.

SQL models carry no magic numbers: a threshold is a row here (key, value, meaning), set from
the thresholds file or the environment (``school_groups/settings.py``), and every row carries the
``config_id`` (a hash of all values) that pattern tables record beside their figures.
"""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, ResourceParam, asset
from dagster_duckdb import DuckDBResource

from school_groups.markdown import markdown_table
from school_groups.settings import Settings

from .checks import run_checks, spec_asset


@asset(**spec_asset("meta.settings"), group_name="meta", kinds={"duckdb"}, pool="warehouse")
def settings_table(context: AssetExecutionContext, warehouse: DuckDBResource,
                   settings: ResourceParam[Settings]) -> MaterializeResult:
    rows = [(key, value, text, settings.config_id) for key, (value, text) in sorted(settings.thresholds.items())]
    with warehouse.get_connection() as con:
        con.execute("begin transaction")
        con.execute("create schema if not exists meta")
        con.execute("create or replace table meta.settings "
                    "(key varchar primary key, value double, description varchar, config_id varchar)")
        con.executemany("insert into meta.settings values (?, ?, ?, ?)", rows)
        con.execute("commit")
        checked = run_checks("meta.settings", con, settings, context.run_id, context.log)
    return MaterializeResult(metadata={"dagster/row_count": len(rows), "config_id": settings.config_id,
                                       "settings": MetadataValue.md(markdown_table(["key", "value", "meaning"],
                                                                                   [r[:3] for r in rows]))},
                             check_results=checked)
