"""The SQL that pools the published tables into what each chart of the report draws.

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
- outcomes by kind, the default view (``patterns.group_era_patterns``, view ``own_judgements``): each
  measure within its reporting era and on its own scale, never pooled across eras. Per kind x
  measure x outcome, sum(schools_with_outcome) / sum(schools_judged_in_era) over the groups that
  are not suppressed in that measure, each group's schools_judged_in_era counted once (a group with
  no school in the outcome adds to the denominator only); how many schools of each kind have their
  latest judgement in each era is summed over every group (``ERA_COVERAGE_SQL``);
- outcome bands by kind, the secondary summary: ``group_outcome_patterns`` view ``own_judgements``,
  weighting ``schools``, over groups that are not suppressed, each group weighted by
  ``schools_with_evidence`` (the cross-era summary band, a named convention, shown after the
  era-separated figures and never used for the trends);
- evidence age: ``patterns.system_evidence`` at its newest as_at, view ``including_inherited``;
  share_stale pooled with weights ``schools`` (it is a share of all schools listed); the two
  median ages pooled as the weighted median of the cells' medians (weights: schools judged,
  schools with evidence), which is close to but not exactly the median over all schools.
"""

from __future__ import annotations

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
    where view = 'own_judgements' and weighting = 'schools'
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
    where view = 'own_judgements'
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

# Schools of each kind whose latest judgement (view own_judgements) is in each era: per group, the most
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
where view = 'own_judgements' and weighting = 'schools'
group by group_kind order by group_kind
"""


GROUP_AGES_SQL = """
select group_kind, evidence_age_median_years
from patterns.group_outcome_patterns
where view = 'own_judgements' and weighting = 'schools' and evidence_age_median_years is not null
"""
