-- Headline shares by area, each within its reporting era and on its own scale, comparable
-- with Ofsted's published figures: one row per as-at snapshot x source family x view x area
-- (England, each region, each local authority) x measure x outcome. Key: (as_at,
-- source_family, view, area_level, area_code, measure, outcome). From
-- patterns.snapshot_era_measures: overall effectiveness good_or_outstanding to 31 Aug 2024
-- (Ofsted: "% of state-funded schools judged good or outstanding at their most recent
-- inspection"; the including_inherited view is its method since 2018, own_judgements leaves
-- predecessors' judgements out), the share good or outstanding for each 2024/25 key
-- judgement, and each report-card grade per evaluation area. share is of
-- schools_judged_in_era (schools whose counted judgement is in the measure's era and has a
-- grade for it), with a Wilson interval at confidence_z; schools is everyone Ofsted listed in
-- the area. Local authorities are keyed by the LA code in LAESTAB.
with settings as (
    select max(value) filter (where key = 'confidence_z') as z, any_value(config_id) as config_id from meta.settings
),
schools as (
    select as_at, source_family, view, urn, 'england' as area_level, 'E92000001' as area_code, 'England' as area_name
    from patterns.snapshot_judgements
    union all
    select as_at, source_family, view, urn, 'region', coalesce(region, 'Unknown'), coalesce(region, 'Unknown')
    from patterns.snapshot_judgements
    union all
    select as_at, source_family, view, urn, 'local_authority', coalesce(la_code, 'Unknown'),
           coalesce(any_value(la_name) over (partition by la_code), 'Unknown')
    from patterns.snapshot_judgements
),
listed as (
    select as_at, source_family, view, area_level, area_code, any_value(area_name) as area_name, count(*) as schools
    from schools group by all
),
measured as (
    select s.as_at, s.source_family, s.view, s.area_level, s.area_code, m.reporting_era, m.measure, m.outcome
    from schools s
    join patterns.snapshot_era_measures m
      on m.as_at = s.as_at and m.source_family = s.source_family and m.view = s.view and m.urn = s.urn
),
judged as (
    select as_at, source_family, view, area_level, area_code, reporting_era, measure, count(*) as schools_judged_in_era
    from measured group by all
),
outcomes as (
    select as_at, source_family, view, area_level, area_code, reporting_era, measure, outcome,
           count(*) as schools_with_outcome
    from measured group by all
)
select
    o.as_at, o.source_family, o.view, o.area_level, o.area_code, l.area_name, o.reporting_era, o.measure, o.outcome,
    l.schools, j.schools_judged_in_era, o.schools_with_outcome,
    o.schools_with_outcome / j.schools_judged_in_era as share,
    wilson_low(o.schools_with_outcome / j.schools_judged_in_era, j.schools_judged_in_era, s.z) as share_ci_low,
    wilson_high(o.schools_with_outcome / j.schools_judged_in_era, j.schools_judged_in_era, s.z) as share_ci_high,
    s.config_id
from outcomes o
join judged j using (as_at, source_family, view, area_level, area_code, reporting_era, measure)
join listed l using (as_at, source_family, view, area_level, area_code)
cross join settings s
