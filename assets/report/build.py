"""Build the readers' HTML report from the published DuckDB file, and nothing else.

``build_report(published_db, out_dir, period)`` opens ``published.duckdb`` read-only, pools the
published pattern tables into what each chart draws (``load_report_data``), renders one page
(``render.render_report``) and writes ``out_dir/report-<period>.html`` atomically (a temporary
file in the same folder, then ``os.replace``). ``out_dir/latest.html`` is replaced too when the
period is the newest one published, so an explicit rebuild of an older period never hides the
newest report.

Pooling rules (what a reader sees in the charts):
- system trends: per as_at × group kind × view, the share good or better is the mean of the
  published rows' shares weighted by ``schools_graded`` (rows with no graded school drop out);
  an "All schools" line pools every kind;
- outcome bands by kind: ``group_outcome_patterns`` view ``all_current``, weighting ``schools``,
  over groups that are not suppressed, each group weighted by ``schools_with_evidence``;
- evidence age: the newest as_at of ``system_trends``, view ``including_inherited``;
- the period defaults to the newest sample period (years, then spring < summer < autumn).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from .profiles import GroupFacts
from .render import ReportData, SampledGroup, render_report

REQUIRED_TABLES = (
    "patterns.system_trends", "patterns.group_outcome_patterns", "patterns.group_improvement",
    "patterns.group_profile", "patterns.group_signals", "sampling.sample_draw", "sampling.sample_estimates",
    "meta.publication", "meta.settings",
)
SEASON_ORDER = {"spring": 1, "summer": 2, "autumn": 3}

# Roll-up rows (phase or region 'all'/'total'), should the table ever carry them, would be counted twice.
DETAIL_ROWS = "lower(coalesce(phase, '')) not in ('all', 'total') and lower(coalesce(region, '')) not in ('all', 'total')"

TRENDS_SQL = f"""
with detail as (select * from patterns.system_trends where {DETAIL_ROWS}),
pooled as (
    select as_at, group_kind, view, schools_graded, share_good_or_better from detail
    union all
    select as_at, 'all', view, schools_graded, share_good_or_better from detail
)
select as_at, group_kind, view,
       sum(schools_graded) as schools_graded,
       sum(share_good_or_better * schools_graded)
           / nullif(sum(schools_graded) filter (where share_good_or_better is not null), 0) as share_good_or_better
from pooled
group by as_at, group_kind, view
order by as_at, group_kind, view
"""

_BAND_SHARES = ",\n".join(
    f"""sum({c} * schools_with_evidence) filter (where reported)
        / nullif(sum(schools_with_evidence) filter (where reported and {c} is not null), 0) as {c}"""
    for c in ("share_strong", "share_secure", "share_improvement_needed", "share_serious_concern",
              "share_good_or_better"))

OUTCOMES_SQL = f"""
with g as (
    select *, not coalesce(suppressed, false) as reported
    from patterns.group_outcome_patterns
    where view = 'all_current' and weighting = 'schools'
)
select group_kind,
       count(*) as groups,
       count(*) filter (where reported) as groups_reported,
       sum(schools_in_group) as schools_in_groups,
       sum(schools_with_evidence) filter (where reported) as schools_with_evidence,
       {_BAND_SHARES},
       count(*) filter (where reported and share_serious_concern > 0) as groups_any_serious_concern,
       count(*) filter (where schools_with_category_of_concern > 0) as groups_with_category_of_concern,
       count(schools_with_category_of_concern) as groups_concern_known,
       quantile_cont(share_good_or_better, 0.25) filter (where reported) as gob_p25,
       quantile_cont(share_good_or_better, 0.5) filter (where reported) as gob_p50,
       quantile_cont(share_good_or_better, 0.75) filter (where reported) as gob_p75
from g
group by group_kind
order by group_kind
"""

STALE_SQL = f"""
with latest as (
    select * from patterns.system_trends
    where view = 'including_inherited' and as_at = (select max(as_at) from patterns.system_trends)
      and {DETAIL_ROWS}
), pooled as (
    select group_kind, schools_graded, share_stale from latest
    union all
    select 'all', schools_graded, share_stale from latest
)
select group_kind, sum(schools_graded) as schools_graded,
       sum(share_stale * schools_graded)
           / nullif(sum(schools_graded) filter (where share_stale is not null), 0) as share_stale
from pooled group by group_kind order by group_kind
"""

GROUP_AGES_SQL = """
select group_kind, evidence_age_median_years
from patterns.group_outcome_patterns
where view = 'all_current' and weighting = 'schools' and evidence_age_median_years is not null
"""


def period_sort_key(period: str) -> tuple:
    """'2026-spring' < '2026-summer' < '2026-autumn' < '2027-spring'; unknown shapes sort after, by text."""
    m = re.fullmatch(r"(\d{4})-([A-Za-z]+)", period or "")
    if not m:
        return (1, 0, 0, period or "")
    return (0, int(m.group(1)), SEASON_ORDER.get(m.group(2).lower(), 9), period)


def safe_file_part(text: str) -> str:
    """A period as a file-name part: letters, digits, '.', '_' and '-' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "undated"


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
        as_at = con.execute("select max(as_at) from patterns.system_trends").fetchall()[0][0]
        if period is None:
            period = periods[-1] if periods else (f"as-at-{as_at.isoformat()}" if isinstance(as_at, date) else "undated")
        elif period not in periods:
            raise ValueError(f"{published_db}: period {period!r} is not in sampling.sample_draw or "
                             f"sampling.sample_estimates; published periods: {', '.join(periods) or 'none'}")
        pub = _rows(con, "select run_id, strftime(timezone('UTC', published_at), '%Y-%m-%d %H:%M UTC') as published_at "
                         "from meta.publication order by published_at desc nulls last limit 1")
        data = ReportData(
            period=period,
            as_at=as_at,
            run_id=pub[0]["run_id"] if pub else None,
            published_at=pub[0]["published_at"] if pub else None,
            periods=periods,
            settings=_rows(con, "select key, value, description from meta.settings order by key"),
            trends=_rows(con, TRENDS_SQL),
            outcomes_by_kind=_rows(con, OUTCOMES_SQL),
            improvement_by_kind=_rows(con, "select * from patterns.group_improvement where scope = 'group_kind' "
                                           "order by group_kind"),
            stale_by_kind=_rows(con, STALE_SQL),
            group_evidence_ages=_rows(con, GROUP_AGES_SQL),
            estimates=_rows(con, "select * from sampling.sample_estimates where period = ? order by indicator",
                            [period]),
            sampled=_sampled_groups(con, period),
        )
    finally:
        con.close()
    # The 'all' line is only worth drawing beside more than one kind of group.
    if len({r["group_kind"] for r in data.trends if r["group_kind"] != "all"}) < 2:
        data.trends = [r for r in data.trends if r["group_kind"] != "all"]
        data.stale_by_kind = [r for r in data.stale_by_kind if r["group_kind"] != "all"]
    return data


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
        )
        groups.append(SampledGroup(facts, d.get("stratum"), d.get("inclusion_probability"), d.get("design_weight"),
                                   d.get("population_groups"), d.get("sample_groups")))
    groups.sort(key=lambda g: (g.stratum or "", g.facts.group_name.casefold(), str(g.facts.group_key)))
    return groups


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) beside ``target`` and rename it over: readers see old or new, never half."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(published_db: Path, out_dir: Path, period: str | None = None) -> Path:
    """Render the report for ``period`` (default: the newest) and return the path of ``report-<period>.html``."""
    data = load_report_data(Path(published_db), period)
    html = render_report(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"report-{safe_file_part(data.period)}.html"
    write_atomically(target, html)
    if not data.periods or data.period == data.periods[-1]:
        write_atomically(out_dir / "latest.html", html)
    return target
