-- What inspections found, year by year, on each era's own scale: one row per academic year
-- (1 Sept - 31 Aug, by inspection start date) x reporting era x kind of inspection x measure x
-- outcome. Key: (academic_year, reporting_era, inspection_kind, measure, outcome): a year that
-- spans a change of framework (2025/26) is split at the break. Ofsted publishes its in-year figures
-- this way ("% judged good or outstanding at a graded inspection in 2024/25", per key
-- judgement; "95% of ungraded inspections: standards maintained or improved significantly").
-- Judgements (graded, report card) give the measures of their reporting era
-- (core.judgement_measures); ungraded inspections give measure ungraded_outcome with outcome
-- maintained_or_improved or declined (staging.ofsted_ungraded_outcomes); monitoring and urgent
-- visits are counted with measure visits. share is of inspections (the kind's inspections in
-- the year and era with that measure), with a Wilson interval at confidence_z. Every inspection
-- loaded counts once, whichever file it came from; an academic year that the loaded files
-- cover only in part (e.g. the current one) says so in inspections, not in a share.
with settings as (
    select max(value) filter (where key = 'confidence_z') as z, any_value(config_id) as config_id from meta.settings
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
