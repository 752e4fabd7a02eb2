-- patterns.area_outcome_shares: what a row is, its columns and its checks are in area_outcome_shares.yml beside this file.
with settings as (
    select setting('confidence_z') as z, settings_config_id() as config_id
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
