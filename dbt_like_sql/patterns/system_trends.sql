-- patterns.system_trends: what a row is, its columns and its checks are in system_trends.yml beside this file.
with cells as (
    select as_at, source_family, body_kind as group_kind, phase_group as phase, coalesce(region, 'Unknown') as region,
           view, count(*) as schools
    from patterns.snapshot_judgements
    group by all
),
measured as (
    select j.as_at, j.source_family, j.body_kind as group_kind, j.phase_group as phase,
           coalesce(j.region, 'Unknown') as region, j.view, m.reporting_era, m.measure, m.outcome
    from patterns.snapshot_judgements j
    join patterns.snapshot_era_measures m
      on m.as_at = j.as_at and m.source_family = j.source_family and m.view = j.view and m.urn = j.urn
),
judged as (
    select as_at, source_family, group_kind, phase, region, view, measure, count(*) as schools_judged_in_era
    from measured group by all
)
select
    o.as_at, o.source_family, o.group_kind, o.phase, o.region, o.view, o.reporting_era, o.measure, o.outcome,
    c.schools, j.schools_judged_in_era, o.schools_with_outcome,
    o.schools_with_outcome / j.schools_judged_in_era as share,
    settings_config_id() as config_id
from (select as_at, source_family, group_kind, phase, region, view, reporting_era, measure, outcome,
             count(*) as schools_with_outcome
      from measured group by all) o
join judged j using (as_at, source_family, group_kind, phase, region, view, measure)
join cells c using (as_at, source_family, group_kind, phase, region, view)
