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
    -- counted once per school at the finest area (a local authority within a region) and summed
    -- up to each level, rather than joining every school's measures once per area level
    select s.as_at, s.source_family, s.view, coalesce(s.region, 'Unknown') as region,
           coalesce(s.la_code, 'Unknown') as la_code, m.reporting_era, m.measure, m.outcome, count(*) as n
    from patterns.snapshot_judgements s
    join patterns.snapshot_era_measures m
      on m.as_at = s.as_at and m.source_family = s.source_family and m.view = s.view and m.urn = s.urn
    group by all
),
measured_areas as (
    select as_at, source_family, view, 'england' as area_level, 'E92000001' as area_code, reporting_era, measure,
           outcome, n
    from measured
    union all
    select as_at, source_family, view, 'region', region, reporting_era, measure, outcome, n from measured
    union all
    select as_at, source_family, view, 'local_authority', la_code, reporting_era, measure, outcome, n from measured
),
judged as (
    select as_at, source_family, view, area_level, area_code, reporting_era, measure,
           sum(n)::bigint as schools_judged_in_era
    from measured_areas group by all
),
outcomes as (
    select as_at, source_family, view, area_level, area_code, reporting_era, measure, outcome,
           sum(n)::bigint as schools_with_outcome
    from measured_areas group by all
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
