"""Read what the page shows from the published DuckDB file, and nothing else: ``load_report_data``
opens it read-only, checks the report's tables are there, runs the pooling queries (``queries``)
and gathers the rows into :class:`ReportData`, with the facts of each sampled group for its profile.
The period defaults to the newest sample period (years, then spring < summer < autumn).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from .labels import stratum_label
from .provenance import Provenance, parse_generators
from .profile_facts import GroupFacts
from .queries import (ERA_COVERAGE_SQL, ERA_OUTCOMES_SQL, ERAS_SQL, EVIDENCE_CELLS_SQL, GROUP_AGES_SQL, KIND_SIZES_SQL,
                      OUTCOMES_SQL, STALE_SQL, TRENDS_SQL)
from .report_data import ReportData, SampledGroup

REQUIRED_TABLES = (
    "staging.ofsted_reporting_eras", "patterns.system_trends", "patterns.system_evidence",
    "patterns.group_outcome_patterns", "patterns.group_era_patterns", "patterns.group_improvement",
    "patterns.group_profile", "patterns.group_signals", "sampling.sample_draw", "sampling.sample_estimates",
    "meta.publication", "meta.settings",
)
SEASON_ORDER = {"spring": 1, "summer": 2, "autumn": 3}


def period_sort_key(period: str) -> tuple:
    """'2026-spring' < '2026-summer' < '2026-autumn' < '2027-spring'; unknown shapes sort after, by text."""
    m = re.fullmatch(r"(\d{4})-([A-Za-z]+)", period or "")
    if not m:
        return (1, 0, 0, period or "")
    return (0, int(m.group(1)), SEASON_ORDER.get(m.group(2).lower(), 9), period)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _check_tables(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    present = {f"{s}.{t}" for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    missing = [t for t in REQUIRED_TABLES if t not in present]
    if missing:
        raise ValueError(f"{db}: the report needs the published tables {', '.join(missing)}, which are missing; "
                         "run the publish step first")


def load_report_data(published_db: Path, period: str | None = None) -> ReportData:
    """Read everything the page shows from the published DuckDB file (opened read-only)."""
    published_db = Path(published_db)
    if not published_db.is_file():
        raise FileNotFoundError(f"{published_db}: no published DuckDB file; the report reads only the published copy")
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        _check_tables(con, published_db)
        periods = sorted({r[0] for r in con.execute(
            "select distinct period from sampling.sample_draw where period is not null "
            "union select distinct period from sampling.sample_estimates where period is not null").fetchall()},
            key=period_sort_key)
        as_at = con.execute("select max(as_at) from (select as_at from patterns.system_trends "
                            "union all select as_at from patterns.system_evidence)").fetchall()[0][0]
        if period is None:
            period = periods[-1] if periods else (f"as-at-{as_at.isoformat()}" if isinstance(as_at, date) else "undated")
        elif period not in periods:
            raise ValueError(f"{published_db}: period {period!r} is not in sampling.sample_draw or "
                             f"sampling.sample_estimates; published periods: {', '.join(periods) or 'none'}")
        pub = _publication(con)
        data = ReportData(
            period=period,
            as_at=as_at,
            run_id=pub.get("run_id"),
            published_at=pub.get("published_at"),
            provenance=Provenance(pub.get("synthetic_data"), pub.get("source_mode"),
                                  parse_generators(pub.get("synthetic_generator"))),
            periods=periods,
            settings=_rows(con, "select key, value, description from meta.settings order by key"),
            eras=_rows(con, ERAS_SQL),
            trends=_rows(con, TRENDS_SQL),
            outcomes_by_kind=_rows(con, OUTCOMES_SQL),
            era_outcomes_by_kind=_rows(con, ERA_OUTCOMES_SQL),
            era_coverage_by_kind=_era_coverage(_rows(con, KIND_SIZES_SQL), _rows(con, ERA_COVERAGE_SQL)),
            improvement_by_kind=_rows(con, "select * from patterns.group_improvement where scope = 'group_kind' "
                                           "order by group_kind"),
            stale_by_kind=_with_median_ages(_rows(con, STALE_SQL), _rows(con, EVIDENCE_CELLS_SQL)),
            group_evidence_ages=_rows(con, GROUP_AGES_SQL),
            estimates=_rows(con, "select * from sampling.sample_estimates where period = ? order by indicator",
                            [period]),
            sampled=_sampled_groups(con, period),
        )
    finally:
        con.close()
    # The 'all' bar is only worth drawing beside more than one kind of group (the trend charts
    # decide for themselves: the key-judgement and report-card charts always pool every kind).
    if len({r["group_kind"] for r in data.stale_by_kind if r["group_kind"] != "all"}) < 2:
        data.stale_by_kind = [r for r in data.stale_by_kind if r["group_kind"] != "all"]
    return data


def _publication(con: duckdb.DuckDBPyConnection) -> dict:
    """The newest meta.publication row; a column an older publication lacks reads as NULL (it says nothing)."""
    present = {r[0] for r in con.execute("select column_name from information_schema.columns where table_schema "
                                         "= 'meta' and table_name = 'publication'").fetchall()}
    cols = [c if c in present else f"null as {c}" for c in ("synthetic_data", "source_mode", "synthetic_generator")]
    rows = _rows(con, "select run_id, strftime(timezone('UTC', published_at), '%Y-%m-%d %H:%M UTC') as published_at, "
                      f"{', '.join(cols)} from meta.publication order by published_at desc nulls last limit 1")
    return rows[0] if rows else {}


def weighted_median(pairs: list[tuple[float | None, float | None]]) -> float | None:
    """The value at which half the weight lies at or below (pairs of value, weight; empty: None)."""
    pts = sorted((v, w) for v, w in pairs if v is not None and w)
    total = sum(w for _, w in pts)
    if not total:
        return None
    run = 0.0
    for v, w in pts:
        run += w
        if run >= total / 2:
            return v
    return pts[-1][0]


def _with_median_ages(pooled: list[dict], cells: list[dict]) -> list[dict]:
    """Pooled evidence rows, each with the two typical ages: weighted medians of the cells' medians."""
    for row in pooled:
        mine = [c for c in cells if row["group_kind"] in ("all", c["group_kind"])]
        row["judgement_age_median_years"] = weighted_median(
            [(c["judgement_age_median_years"], c["schools_judged"]) for c in mine])
        row["evidence_age_median_years"] = weighted_median(
            [(c["evidence_age_median_years"], c["schools_with_evidence"]) for c in mine])
    return pooled


def _era_coverage(sizes: list[dict], per_era: list[dict]) -> list[dict]:
    """One row per kind: groups, schools_in_groups, schools_latest_evidence_<era> and schools_judged_<era>."""
    out = {r["group_kind"]: dict(r) for r in sizes}
    for r in per_era:
        row = out.setdefault(r["group_kind"], {"group_kind": r["group_kind"]})
        row[f"schools_judged_{r['reporting_era']}"] = r["schools_judged"]
    return list(out.values())


def _sampled_groups(con: duckdb.DuckDBPyConnection, period: str) -> list[SampledGroup]:
    draw = _rows(con, "select * from sampling.sample_draw where period = ?", [period])
    if not draw:
        return []
    sample = "(select group_key from sampling.sample_draw where period = ?)"
    profiles = {r["group_key"]: r for r in _rows(
        con, f"select * from patterns.group_profile where group_key in {sample}", [period])}
    patterns: dict[str, dict] = {}
    for r in _rows(con, f"select * from patterns.group_outcome_patterns where group_key in {sample}", [period]):
        patterns.setdefault(r["group_key"], {})[(r["view"], r["weighting"])] = r
    improvement = {r["group_key"]: r for r in _rows(
        con, f"select * from patterns.group_improvement where scope = 'group' and group_key in {sample}", [period])}
    era_rows: dict[str, list[dict]] = {}
    for r in _rows(con, f"select * from patterns.group_era_patterns where group_key in {sample} "
                        "order by view, reporting_era, measure, outcome", [period]):
        era_rows.setdefault(r["group_key"], []).append(r)
    signals: dict[str, list[dict]] = {}
    for r in _rows(con, f"select * from patterns.group_signals where group_key in {sample} "
                        "order by signal_type desc, signal", [period]):
        signals.setdefault(r["group_key"], []).append(r)

    groups = []
    for d in draw:
        key = d["group_key"]
        named = profiles.get(key) or next(iter(patterns.get(key, {}).values()), None) or improvement.get(key) or {}
        facts = GroupFacts(
            group_key=key,
            group_name=named.get("group_name") or str(key),
            group_kind=named.get("group_kind") or "unknown",
            profile=profiles.get(key),
            patterns=patterns.get(key, {}),
            improvement=improvement.get(key),
            signals=signals.get(key, []),
            era_rows=era_rows.get(key, []),
            display_name=d.get("display_name") or named.get("display_name"),
        )
        groups.append(SampledGroup(facts, stratum_label(d.get("stratum")), d.get("inclusion_probability"), d.get("design_weight"),
                                   d.get("population_groups"), d.get("sample_groups")))
    groups.sort(key=lambda g: (g.facts.heading.casefold(), str(g.facts.group_key)))
    return groups
