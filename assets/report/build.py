"""Build the readers' HTML report from the published DuckDB file, and nothing else.

``build_report(published_db, out_dir, period)`` opens ``published.duckdb`` read-only, pools the
published pattern tables into what each chart draws (``load_report_data``), renders one page
(``render.render_report``) and writes ``out_dir/report-<period>.html`` atomically (a temporary
file in the same folder, then ``os.replace``). ``out_dir/latest.html`` is replaced too when the
period is the newest one published, so an explicit rebuild of an older period never hides the
newest report.

Pooling rules (what a reader sees in the charts):
- one source per snapshot date: Ofsted's official statistics over the dates they cover, another
  source family (the monthly management information) only outside that range, so each source
  covers one unbroken span and a date is never counted from two sources;
- system trends (``patterns.system_trends``, long: one row per cell x measure x outcome): every
  measure stays in its reporting era (``staging.ofsted_reporting_eras``); a row dated after its
  era's ``reported_until`` or before its ``first_inspection`` is not drawn. Per as_at x source
  family x view x measure x group kind (and "all", pooling every kind), the share with an outcome
  is sum(schools_with_outcome) / sum(schools_judged_in_era) over the phase x region cells, each
  cell's schools_judged_in_era counted once (a cell with no school in the outcome adds to the
  denominator only);
- outcomes by kind, the default view (``patterns.group_era_patterns``, view ``all_current``): each
  measure within its reporting era and on its own scale, never pooled across eras. Per kind x
  measure x outcome, sum(schools_with_outcome) / sum(schools_judged_in_era) over the groups that
  are not suppressed in that measure, each group's schools_judged_in_era counted once (a group with
  no school in the outcome adds to the denominator only); how many schools of each kind have their
  latest judgement in each era is summed over every group (``ERA_COVERAGE_SQL``);
- outcome bands by kind, the secondary summary: ``group_outcome_patterns`` view ``all_current``,
  weighting ``schools``, over groups that are not suppressed, each group weighted by
  ``schools_with_evidence`` (the cross-era summary band, a named convention, shown after the
  era-separated figures and never used for the trends);
- evidence age: ``patterns.system_evidence`` at its newest as_at, view ``including_inherited``;
  share_stale pooled with weights ``schools`` (it is a share of all schools listed); the two
  median ages pooled as the weighted median of the cells' medians (weights: schools judged,
  schools with evidence), which is close to but not exactly the median over all schools;
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
    "staging.ofsted_reporting_eras", "patterns.system_trends", "patterns.system_evidence",
    "patterns.group_outcome_patterns", "patterns.group_era_patterns", "patterns.group_improvement",
    "patterns.group_profile", "patterns.group_signals", "sampling.sample_draw", "sampling.sample_estimates",
    "meta.publication", "meta.settings",
)
SEASON_ORDER = {"spring": 1, "summer": 2, "autumn": 3}

# Roll-up rows (phase or region 'all'/'total'), should the table ever carry them, would be counted twice.
DETAIL_ROWS = "lower(coalesce(phase, '')) not in ('all', 'total') and lower(coalesce(region, '')) not in ('all', 'total')"



def _one_source_per_date(table: str) -> str:
    """CTE ``chosen``: the (as_at, source_family) pairs of ``table`` the report reads.

    Official statistics over their own date range; any other family only before or after it. Each
    family then covers one unbroken span of dates, and no date is read from two families.
    """
    return f"""
official as (
    select min(as_at) as first_at, max(as_at) as last_at from {table} where source_family = 'official_statistics'
),
chosen as (
    select distinct t.as_at, t.source_family
    from {table} t cross join official o
    where t.source_family = 'official_statistics' or o.first_at is null
       or t.as_at < o.first_at or t.as_at > o.last_at
)"""


def _outcomes_cte(rows: str) -> str:
    """CTE ``outcomes``: every outcome seen for a measure in ``rows``, and the outcome its era counts
    (good_or_outstanding) even when no school has it, so a share of 0 is drawn rather than skipped."""
    return f"""outcomes as (
    select distinct reporting_era, measure, outcome from {rows}
    union
    select distinct r.reporting_era, r.measure, e.outcome_counted
    from {rows} r join staging.ofsted_reporting_eras e on e.reporting_era = r.reporting_era
    where e.outcome_counted = 'good_or_outstanding'
)"""


TRENDS_SQL = f"""
with {_one_source_per_date('patterns.system_trends')},
detail as (
    select t.*
    from patterns.system_trends t
    join chosen c on c.as_at = t.as_at and c.source_family = t.source_family
    join staging.ofsted_reporting_eras e on e.reporting_era = t.reporting_era
    where {DETAIL_ROWS}
      and (e.reported_until is null or t.as_at <= e.reported_until)
      and (e.first_inspection is null or t.as_at >= e.first_inspection)
),
cells as (   -- schools_judged_in_era once per cell and measure, however many outcome rows it has
    select as_at, source_family, view, reporting_era, measure, group_kind, phase, region,
           max(schools_judged_in_era) as judged
    from detail
    group by as_at, source_family, view, reporting_era, measure, group_kind, phase, region
),
judged as (
    select as_at, source_family, view, reporting_era, measure, group_kind, sum(judged) as judged
    from cells group by as_at, source_family, view, reporting_era, measure, group_kind
    union all
    select as_at, source_family, view, reporting_era, measure, 'all', sum(judged)
    from cells group by as_at, source_family, view, reporting_era, measure
),
counted as (
    select as_at, source_family, view, reporting_era, measure, group_kind, outcome, sum(schools_with_outcome) as n
    from detail group by as_at, source_family, view, reporting_era, measure, group_kind, outcome
    union all
    select as_at, source_family, view, reporting_era, measure, 'all', outcome, sum(schools_with_outcome)
    from detail group by as_at, source_family, view, reporting_era, measure, outcome
),
{_outcomes_cte('detail')}
select j.as_at, j.source_family, j.view, j.reporting_era, j.measure, j.group_kind, o.outcome,
       j.judged as schools_judged_in_era,
       coalesce(c.n, 0) as schools_with_outcome,
       coalesce(c.n, 0) / nullif(j.judged, 0) as share
from judged j
join outcomes o on o.reporting_era = j.reporting_era and o.measure = j.measure
left join counted c on c.as_at = j.as_at and c.source_family = j.source_family and c.view = j.view
     and c.reporting_era = j.reporting_era and c.measure = j.measure and c.group_kind = j.group_kind
     and c.outcome = o.outcome
order by j.view, j.reporting_era, j.measure, j.group_kind, o.outcome, j.as_at
"""

ERAS_SQL = """
select reporting_era, sort_order, label, first_inspection, reported_until, measures, outcome_counted, break_reason
from staging.ofsted_reporting_eras
order by sort_order, reporting_era
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

# The default view of section 2: one era at a time, on its own scale (see the module docstring).
_ERA_GROUPS = """
g as (
    select group_key, group_kind, reporting_era, measure, outcome, schools_judged_in_era, schools_with_outcome,
           coalesce(suppressed, false) or schools_with_outcome is null as hidden
    from patterns.group_era_patterns
    where view = 'all_current'
),
per_group as (   -- one row per group x measure: its schools judged in the era, counted once
    select group_kind, group_key, reporting_era, measure,
           max(schools_judged_in_era) as judged, bool_or(hidden) as hidden
    from g group by group_kind, group_key, reporting_era, measure
)"""

ERA_OUTCOMES_SQL = f"""
with {_ERA_GROUPS},
judged as (
    select group_kind, reporting_era, measure,
           count(*) as groups_judged,
           count(*) filter (where not hidden) as groups_reported,
           sum(judged) as schools_judged,
           sum(judged) filter (where not hidden) as schools_reported
    from per_group group by group_kind, reporting_era, measure
),
counted as (
    select g.group_kind, g.reporting_era, g.measure, g.outcome, sum(g.schools_with_outcome) as n
    from g join per_group p using (group_kind, group_key, reporting_era, measure)
    where not p.hidden
    group by g.group_kind, g.reporting_era, g.measure, g.outcome
),
{_outcomes_cte('g')}
select j.group_kind, j.reporting_era, j.measure, o.outcome, j.groups_judged, j.groups_reported,
       j.schools_judged, coalesce(j.schools_reported, 0) as schools_reported,
       case when j.groups_reported > 0 then coalesce(c.n, 0) end as schools_with_outcome,
       coalesce(c.n, 0) / nullif(j.schools_reported, 0) as share
from judged j
join outcomes o on o.reporting_era = j.reporting_era and o.measure = j.measure
left join counted c on c.group_kind = j.group_kind and c.reporting_era = j.reporting_era
     and c.measure = j.measure and c.outcome = o.outcome
order by j.group_kind, j.reporting_era, j.measure, o.outcome
"""

# Schools of each kind whose latest judgement (view all_current) is in each era: per group, the most
# schools judged on any one measure of the era (each school judged in an era is graded on its measures).
ERA_COVERAGE_SQL = f"""
with {_ERA_GROUPS},
per_era as (
    select group_kind, group_key, reporting_era, max(judged) as judged
    from per_group group by group_kind, group_key, reporting_era
)
select group_kind, reporting_era, count(*) as groups, sum(judged) as schools_judged
from per_era group by group_kind, reporting_era order by group_kind, reporting_era
"""

ERA_COUNTS = tuple(f"schools_latest_{what}_{era}" for what in ("judgement", "evidence")
                   for era in ("overall_effectiveness", "key_judgements", "report_card"))

EVIDENCE_CELLS_SQL = f"""
with {_one_source_per_date('patterns.system_evidence')},
latest as (
    select e.*
    from patterns.system_evidence e
    join chosen c on c.as_at = e.as_at and c.source_family = e.source_family
    where e.view = 'including_inherited' and e.as_at = (select max(as_at) from chosen) and {DETAIL_ROWS}
)
select group_kind, as_at, source_family, schools, schools_judged, schools_with_evidence, schools_without_evidence,
       share_stale, judgement_age_median_years, evidence_age_median_years, {", ".join(ERA_COUNTS)}
from latest
"""

STALE_SQL = f"""
with cells as ({EVIDENCE_CELLS_SQL}),
pooled as (
    select * from cells
    union all
    select * replace ('all' as group_kind) from cells
)
select group_kind, any_value(as_at) as as_at, any_value(source_family) as source_family,
       sum(schools) as schools, sum(schools_judged) as schools_judged,
       sum(schools_with_evidence) as schools_with_evidence, sum(schools_without_evidence) as schools_without_evidence,
       sum(share_stale * schools) filter (where share_stale is not null)
           / nullif(sum(schools) filter (where share_stale is not null), 0) as share_stale,
       {", ".join(f"sum({c}) as {c}" for c in ERA_COUNTS)}
from pooled group by group_kind order by group_kind
"""

LATEST_EVIDENCE_ERAS = ("overall_effectiveness", "key_judgements", "report_card")


# Schools and groups of each kind (every group, suppressed or not), with how many schools' latest evidence
# of any kind is in each era.
KIND_SIZES_SQL = f"""
select group_kind, count(*) as groups, sum(schools_in_group) as schools_in_groups,
       {", ".join(f"sum(schools_latest_evidence_{e}) as schools_latest_evidence_{e}" for e in LATEST_EVIDENCE_ERAS)}
from patterns.group_outcome_patterns
where view = 'all_current' and weighting = 'schools'
group by group_kind order by group_kind
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
        as_at = con.execute("select max(as_at) from (select as_at from patterns.system_trends "
                            "union all select as_at from patterns.system_evidence)").fetchall()[0][0]
        if period is None:
            period = periods[-1] if periods else (f"as-at-{as_at.isoformat()}" if isinstance(as_at, date) else "undated")
        elif period not in periods:
            raise ValueError(f"{published_db}: period {period!r} is not in sampling.sample_draw or "
                             f"sampling.sample_estimates; published periods: {', '.join(periods) or 'none'}")
        # a publication written before meta.publication had synthetic_data says nothing either way
        has_flag = bool(con.execute("select 1 from information_schema.columns where table_schema = 'meta' "
                                    "and table_name = 'publication' and column_name = 'synthetic_data'").fetchall())
        flag = "synthetic_data" if has_flag else "null::boolean as synthetic_data"
        pub = _rows(con, "select run_id, strftime(timezone('UTC', published_at), '%Y-%m-%d %H:%M UTC') as published_at, "
                         f"{flag} from meta.publication order by published_at desc nulls last limit 1")
        data = ReportData(
            period=period,
            as_at=as_at,
            run_id=pub[0]["run_id"] if pub else None,
            published_at=pub[0]["published_at"] if pub else None,
            synthetic_data=pub[0]["synthetic_data"] if pub else None,
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
