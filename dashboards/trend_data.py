"""The numbers behind the system-trends page: shares over snapshots by kind of responsible body, phase,
region (``patterns.system_trends``) or local authority (``patterns.area_outcome_shares``), each measure
within its reporting era, with Wilson intervals, small cells suppressed, and where lines break.

Pooling: a cell's denominator (schools judged in the measure's era) is counted once whatever outcome
rows it has, so a cell where no school has the outcome still adds to the denominator. Where a snapshot
date has both Ofsted source families, official statistics are read (never both: a school would count
twice). A row outside its era's dates (``staging.ofsted_reporting_eras``) is not drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from school_groups.report.loader import weighted_median

from . import cache
from .labels import measure_label, outcome_label
from .published import Publication

ERAS = "staging.ofsted_reporting_eras"


@dataclass(frozen=True)
class Dimension:
    label: str
    table: str
    category: str          # SQL giving the category a line stands for
    cell: str              # columns of the table's finest cell (its denominator is counted once)
    where: str             # rows of the table to read


ROLL_UPS = "lower(coalesce(t.phase, '')) not in ('all', 'total') and lower(coalesce(t.region, '')) not in ('all', 'total')"
DIMENSIONS = {
    "group_kind": Dimension("Kind of responsible body", "patterns.system_trends", "t.group_kind",
                            "t.group_kind, t.phase, t.region", ROLL_UPS),
    "phase": Dimension("Phase", "patterns.system_trends", "t.phase", "t.group_kind, t.phase, t.region", ROLL_UPS),
    "region": Dimension("Region", "patterns.system_trends", "t.region", "t.group_kind, t.phase, t.region", ROLL_UPS),
    "local_authority": Dimension("Local authority", "patterns.area_outcome_shares",
                                 "coalesce(t.area_name, 'Unknown') || ' (' || t.area_code || ')'", "t.area_code",
                                 "t.area_level = 'local_authority'"),
}
# The default series: the headline share of each era that has one, each on its own scale.
HEADLINE = (("overall_effectiveness", "good_or_outstanding"), ("quality_of_education", "good_or_outstanding"))


@dataclass(frozen=True)
class Series:
    label: str
    pairs: tuple[tuple[str, str], ...]      # (measure, outcome) drawn, one or one per era


def eras(pub: Publication) -> pl.DataFrame:
    if not pub.has(ERAS):
        return pl.DataFrame(schema={"reporting_era": pl.String, "sort_order": pl.Int64, "label": pl.String})
    return cache.frame(pub, f"select * from {ERAS} order by sort_order")


def era_labels(pub: Publication) -> dict[str, str]:
    """reporting_era -> its label for readers ('Key judgements (Sept 2024 - Nov 2025)')."""
    return {e["reporting_era"]: e.get("label") or e["reporting_era"] for e in eras(pub).to_dicts()}


def series_options(pub: Publication, view: str) -> list[Series]:
    """The headline across eras first, then every (measure, outcome) the table has in the view, era by era."""
    found = cache.frame(pub, "select distinct t.reporting_era, t.measure, t.outcome "
                             "from patterns.system_trends t where t.view = ?", view)
    era_rank = {e: i for i, e in enumerate(eras(pub).get_column("reporting_era").to_list())}
    era_label = era_labels(pub)
    rows = sorted(found.iter_rows(named=True),
                  key=lambda r: (era_rank.get(r["reporting_era"], 99), r["measure"], r["outcome"]))
    have = {(r["measure"], r["outcome"]) for r in rows}
    options = []
    headline = tuple(p for p in HEADLINE if p in have)
    if len(headline) > 1:
        options.append(Series("Good or outstanding: overall effectiveness, then quality of education "
                              "(each on its own era's scale)", headline))
    for r in rows:
        era = era_label.get(r["reporting_era"], r["reporting_era"])
        options.append(Series(f"{measure_label(r['measure'])}: {outcome_label(r['outcome'])} — {era}",
                              ((r["measure"], r["outcome"]),)))
    return options


def _sql(dim: Dimension, pub: Publication, view: str, pairs: tuple[tuple[str, str], ...]) -> tuple[str, list]:
    wanted = " or ".join("(t.measure = ? and t.outcome = ?)" for _ in pairs)
    era_join, era_where = "", ""
    if pub.has(ERAS):
        era_join = f"join {ERAS} e on e.reporting_era = t.reporting_era"
        era_where = ("and (e.reported_until is null or t.as_at <= e.reported_until) "
                     "and (e.first_inspection is null or t.as_at >= e.first_inspection)")
    sql = f"""
    with rows as (
        select t.*, {dim.category} as category, ({wanted}) as wanted
        from {dim.table} t {era_join}
        where t.view = ? and t.measure in ({", ".join("?" for _ in pairs)}) and {dim.where} {era_where}
    ),
    chosen as (   -- one source family per snapshot date: official statistics where both are there
        select as_at, arg_min(source_family, source_family <> 'official_statistics') as source_family
        from rows group by as_at
    ),
    cells as (
        select r.as_at, r.source_family, r.reporting_era, r.measure, r.category,
               max(r.schools_judged_in_era) as judged,
               coalesce(sum(r.schools_with_outcome) filter (where r.wanted), 0) as with_outcome
        from rows r join chosen c on c.as_at = r.as_at and c.source_family = r.source_family
        group by r.as_at, r.source_family, r.reporting_era, r.measure, r.category, {dim.cell.replace('t.', 'r.')}
    )
    select as_at, source_family, reporting_era, measure, category,
           sum(judged)::bigint as n, sum(with_outcome)::bigint as k
    from cells group by all order by category, as_at
    """
    # placeholders in order: the wanted (measure, outcome) pairs, the view, the measures
    return sql, [v for p in pairs for v in p] + [view] + [m for m, _ in pairs]


def wilson(k: float, n: float, z: float) -> tuple[float, float]:
    if not n:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def shares(pub: Publication, dim_key: str, view: str, series: Series, z: float, suppress_below: float) -> pl.DataFrame:
    """One row per category x snapshot: share, Wilson interval, n; ``suppressed`` below the tables' own
    suppression threshold (share and interval then NULL). ``segment`` keys one unbroken line."""
    dim = DIMENSIONS[dim_key]
    sql, params = _sql(dim, pub, view, series.pairs)
    raw = cache.frame(pub, sql, *params)
    if raw.is_empty():
        return raw
    bounds = [wilson(k, n, z) for k, n in zip(raw.get_column("k").to_list(), raw.get_column("n").to_list())]
    suppressed = raw.get_column("n") < suppress_below
    return raw.with_columns(
        suppressed=suppressed,
        share=pl.when(suppressed).then(None).otherwise(pl.col("k") / pl.col("n")),
        ci_low=pl.when(suppressed).then(None).otherwise(pl.Series([b[0] for b in bounds])),
        ci_high=pl.when(suppressed).then(None).otherwise(pl.Series([b[1] for b in bounds])),
        era=pl.col("reporting_era"),
        segment=pl.concat_str(["category", "reporting_era", "measure", "source_family"], separator=" / "),
    )


def breaks(pub: Publication, points: pl.DataFrame) -> pl.DataFrame:
    """Where a line stops or starts within the chart's dates: each era's start and end, and each
    change of Ofsted source family (management information replacing the official statistics)."""
    if points.is_empty():
        return pl.DataFrame(schema={"date": pl.Date, "label": pl.String})
    lo, hi = points.get_column("as_at").min(), points.get_column("as_at").max()
    out = []
    era_rows = eras(pub).to_dicts()
    for i, e in enumerate(era_rows):
        short = str(e.get("label") or e["reporting_era"]).split(" (")[0]
        if i and e.get("first_inspection") and lo <= e["first_inspection"] <= hi:
            out.append((e["first_inspection"], f"{short} start"))
        if e.get("reported_until") and lo <= e["reported_until"] <= hi:
            out.append((e["reported_until"], f"{short} end"))
    families = points.select("as_at", "source_family").unique().sort("as_at").rows()
    for (_, before), (day, after) in zip(families, families[1:]):
        if before != after:
            out.append((day, "Source: " + ("management information" if after == "mi_latest" else after.replace("_", " "))))
    return pl.DataFrame(out, schema={"date": pl.Date, "label": pl.String}, orient="row")


def evidence_ages(pub: Publication, dim_key: str, view: str, as_at) -> dict[str, float | None]:
    """Median age of the latest evidence per category at ``as_at`` (``patterns.system_evidence``): the
    median of the cells' medians weighted by their schools with evidence. Not published by LA."""
    if dim_key not in ("group_kind", "phase", "region") or not pub.has("patterns.system_evidence"):
        return {}
    cells = cache.frame(pub, f"select {dim_key} as category, evidence_age_median_years as age, "
                             "schools_with_evidence as w from patterns.system_evidence "
                             "where view = ? and as_at = ?", view, as_at)
    ages: dict[str, list] = {}
    for category, age, w in cells.iter_rows():
        ages.setdefault(category, []).append((age, w))
    out = {c: weighted_median(pairs) for c, pairs in ages.items()}
    out["All"] = weighted_median([p for pairs in ages.values() for p in pairs])
    return out
