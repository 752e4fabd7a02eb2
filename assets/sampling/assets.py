"""Dagster assets of the sampling layer: the period's seeded draw and its design-based estimates.

``sampling.sampling_frame`` is a SQL model (``dbt_like_sql/sampling/``); the draw and the
estimates are Python because they are random draws and interval maths (``school_groups.sampling.design``),
handed to and from DuckDB as Arrow. Both tables keep every period's rows, so earlier draws
can be excluded or carried over and estimates compared over time; rebuilding a period
replaces only that period's rows, in one transaction.
"""


import hashlib
from datetime import date

import polars as pl
from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, ResourceParam, asset
from dagster_duckdb import DuckDBResource

from school_groups.markdown import markdown_table
from school_groups.sampling.design import allocate, draw, estimate
from school_groups.sampling.indicators import INDICATORS
from school_groups.transactions import transaction
from school_groups.settings import Settings

from ..checks import run_checks, spec_asset

FRAME = AssetKey(["sampling", "sampling_frame"])
DRAW = AssetKey(["sampling", "sample_draw"])
ESTIMATES = AssetKey(["sampling", "sample_estimates"])

def period_of(day: date) -> tuple[str, date]:
    """The school term a date falls in, and the day it starts: autumn (Sep-Dec), spring
    (Jan-Apr), summer (May-Aug). Labels sort by the start, not alphabetically."""
    season, month = ("autumn", 9) if day.month >= 9 else ("spring", 1) if day.month <= 4 else ("summer", 5)
    return f"{day.year}-{season}", date(day.year, month, 1)


def period_seed(seed: int, period: str) -> int:
    """A stable seed per period, so each term's draw differs and every draw can be repeated."""
    return int(hashlib.sha256(f"{seed}:{period}".encode()).hexdigest()[:12], 16)


def inputs(con) -> tuple[dict[str, float], str, date, pl.DataFrame]:
    """The sampling settings, the period of the newest Ofsted evidence the patterns were built
    from (label and start) and the frame."""
    config = dict(con.execute("select key, value from meta.settings where key like 'sample_%'").fetchall())
    as_at = con.execute("select max(as_at) from patterns.school_evidence").fetchall()[0][0]
    frame = con.sql("select * from sampling.sampling_frame").pl()
    if as_at is None:
        # GIAS without any Ofsted file yet (a fresh install whose Ofsted fetch failed): no evidence to
        # sample, so this period's draw and estimates are empty, and everything else still publishes
        return config, *period_of(date.today()), frame.clear()
    return config, *period_of(as_at), frame


def previous_draw(con, period_start: date) -> tuple[str | None, list[str]]:
    """The latest earlier period with a draw, and the groups it drew."""
    if not con.execute("select count(*) from duckdb_tables() where schema_name = 'sampling' "
                       "and table_name = 'sample_draw'").fetchall()[0][0]:
        return None, []
    rows = con.execute("select period, group_key from sampling.sample_draw where period_start = "
                       "(select max(period_start) from sampling.sample_draw where period_start < ?)",
                       [period_start]).fetchall()
    return (rows[0][0] if rows else None), [r[1] for r in rows]


def replace_period(con, table: str, period: str, frame: pl.DataFrame, log=None) -> None:
    """Swap one period's rows of ``table`` for ``frame``'s, in one transaction. Earlier periods stay
    (the next draw reads them): a column added since is NULL for them, and if a column changed type
    the old table is kept beside the new one as ``<table>_superseded`` rather than altered."""
    with transaction(con, f"writing {table} for {period}"):
        con.register("incoming", frame.to_arrow())
        con.execute("create schema if not exists sampling")
        schema, name = table.split(".")
        stored = dict(con.execute("select column_name, data_type from information_schema.columns "
                                  "where table_schema = ? and table_name = ?", [schema, name]).fetchall())
        wanted = dict(con.execute("select column_name, column_type from (describe select * from incoming)").fetchall())
        if stored and any(stored.get(c, t) != t for c, t in wanted.items()):
            con.execute(f"drop table if exists {table}_superseded")
            con.execute(f"alter table {table} rename to {name}_superseded")
            if log is not None:
                log.warning(f"{table}: its columns changed type; the earlier periods are kept in {table}_superseded")
        else:
            for column in wanted.keys() - stored.keys() if stored else ():
                con.execute(f'alter table {table} add column "{column}" {wanted[column]}')
        con.execute(f"create table if not exists {table} as select * from incoming limit 0")
        con.execute(f"delete from {table} where period = ?", [period])
        con.execute(f"insert into {table} by name select * from incoming")
        con.unregister("incoming")


@asset(**spec_asset("sampling.sample_draw"), deps=[FRAME], group_name="sampling", kinds={"duckdb", "polars"},
       pool="warehouse")
def sample_draw(context: AssetExecutionContext, warehouse: DuckDBResource,
                settings: ResourceParam[Settings]) -> MaterializeResult:
    with warehouse.get_connection() as con:
        config, period, period_start, frame = inputs(con)
        previous_period, previous_groups = previous_draw(con, period_start)
        mode = int(config["sample_previous_groups"])
        neyman = config["sample_allocation_neyman"] == 1
        if frame.is_empty():
            # No eligible group (a small excerpt, or no Ofsted snapshot yet): an empty draw, not a failed run.
            context.log.warning(f"{period}: no group is eligible for the sample (no Ofsted snapshot loaded, or "
                                "no group with judged schools): the period's draw is empty")
            strata = 0
            drawn = frame.with_columns(*(pl.lit(None, pl.Int64).alias(c) for c in
                                         ("population_groups", "excluded_groups", "sample_groups")),
                                       *(pl.lit(None, pl.Float64).alias(c) for c in
                                         ("inclusion_probability", "design_weight")))
        else:
            sized = frame.with_columns((pl.col("schools_weak") / pl.col("schools_judged")).fill_null(0)
                                       .alias("weak_share"))
            allocation = allocate(sized, int(config["sample_groups_per_period"]),
                                  method="neyman" if neyman else "proportional",
                                  min_per_stratum=int(config["sample_min_per_stratum"]),
                                  sd_column="weak_share" if neyman else None)
            strata = allocation.height
            drawn = draw(frame, allocation, period_seed(int(config["sample_seed"]), period),
                         exclude=previous_groups if mode == -1 else (), keep=previous_groups if mode == 1 else ())
        out = drawn.select(
            pl.lit(period).alias("period"), pl.lit(period_start).alias("period_start"), "group_key", "group_name", "display_name", "group_kind", "stratum",
            "population_groups", "excluded_groups", "sample_groups", "inclusion_probability", "design_weight",
            pl.lit(int(config["sample_seed"])).alias("seed"),
            pl.lit("neyman" if neyman else "proportional").alias("allocation"),
            pl.lit(previous_period if mode == -1 else None, dtype=pl.String).alias("excluded_period"),
            pl.col("group_key").is_in(previous_groups if mode == 1 else []).alias("carried_over"),
            "config_id")
        replace_period(con, "sampling.sample_draw", period, out, context.log)
        checked = run_checks("sampling.sample_draw", con, settings, context.run_id, context.log)
    by_kind = out.group_by("group_kind").len().sort("group_kind")
    return MaterializeResult(metadata={
        "dagster/row_count": out.height, "period": period, "frame_groups": frame.height,
        "strata": strata, "excluded_from_previous_period": len(previous_groups) if mode == -1 else 0,
        "carried_over": int(out["carried_over"].sum()),
        "by_group_kind": MetadataValue.md(markdown_table(["group kind", "groups drawn"], by_kind.rows())),
    }, check_results=checked)


@asset(**spec_asset("sampling.sample_estimates"), deps=[DRAW, FRAME], group_name="sampling",
       kinds={"duckdb", "polars"}, pool="warehouse")
def sample_estimates(context: AssetExecutionContext, warehouse: DuckDBResource,
                     settings: ResourceParam[Settings]) -> MaterializeResult:
    with warehouse.get_connection() as con:
        config, period, _, frame = inputs(con)
        sample = con.sql("select * from sampling.sample_draw where period = ?", params=[period]).pl()
        excluded = sample["excluded_period"].drop_nulls().unique().to_list()
        if excluded:
            # With last period's groups left out, the sample describes the groups that were available.
            drawn_before = [r[0] for r in con.execute("select group_key from sampling.sample_draw where period = ?",
                                                      [excluded[0]]).fetchall()]
            frame = frame.filter(~pl.col("group_key").is_in(drawn_before))
        result = estimate(sample, frame, INDICATORS, confidence=config["sample_confidence"])
        out = result.with_columns(pl.lit(period).alias("period"),
                                  pl.lit(config["sample_confidence"]).alias("confidence"),
                                  pl.lit(frame["config_id"][0] if frame.height else None, dtype=pl.String)
                                  .alias("config_id"))
        replace_period(con, "sampling.sample_estimates", period, out.select("period", *result.columns,
                                                                            "confidence", "config_id"))
        checked = run_checks("sampling.sample_estimates", con, settings, context.run_id, context.log)
    shown = out.select("indicator", "estimate", "ci_low", "ci_high", "census_value").rows()
    return MaterializeResult(metadata={
        "dagster/row_count": out.height, "period": period,
        "estimates": MetadataValue.md(markdown_table(["indicator", "estimate", "ci low", "ci high", "census"],
                                                     [[r[0], *(f"{v:.3f}" if v is not None else "" for v in r[1:])]
                                                      for r in shown])),
    }, check_results=checked)


SAMPLING_ASSETS = [sample_draw, sample_estimates]
