-- patterns.inspection_year_outcomes: what a row is, its columns and its checks are in inspection_year_outcomes.yml beside this file.
with settings as (
    select setting('confidence_z') as z, settings_config_id() as config_id
),
dated as (
    select i.*,
           (year(inspection_start) - case when month(inspection_start) < 9 then 1 else 0 end)::varchar || '/'
           || right((year(inspection_start) + case when month(inspection_start) >= 9 then 1 else 0 end)::varchar, 2)
               as academic_year
    from core.inspections i
    where inspection_start is not null
),
measured as (
    select d.academic_year, d.inspection_kind, m.reporting_era, m.measure, m.outcome
    from dated d join core.judgement_measures m on m.inspection_number = d.inspection_number
    union all
    select academic_year, inspection_kind, reporting_era, 'ungraded_outcome',
           case when maintained_or_improved then 'maintained_or_improved' else 'declined' end
    from dated where inspection_kind = 'ungraded' and maintained_or_improved is not null
    union all
    select academic_year, inspection_kind, reporting_era, 'visits', 'visit'
    from dated where inspection_kind in ('monitoring', 'urgent_no_formal_designation', 'other')
),
totals as (
    select academic_year, reporting_era, inspection_kind, measure, count(*) as inspections from measured group by all
)
select o.academic_year, o.inspection_kind, o.reporting_era, o.measure, o.outcome, t.inspections,
       o.inspections_with_outcome,
       o.inspections_with_outcome / t.inspections as share,
       wilson_low(o.inspections_with_outcome / t.inspections, t.inspections, s.z) as share_ci_low,
       wilson_high(o.inspections_with_outcome / t.inspections, t.inspections, s.z) as share_ci_high,
       s.config_id
from (select academic_year, inspection_kind, reporting_era, measure, outcome, count(*) as inspections_with_outcome
      from measured group by all) o
join totals t using (academic_year, reporting_era, inspection_kind, measure)
cross join settings s
