-- The default view of a group's judgements: one row per group x view x measure x outcome,
-- each measure within its reporting era and on its own scale, never one grade. Key:
-- (group_key, view, measure, outcome). From patterns.school_evidence (the judgement each view
-- counts for each open school now) and core.judgement_measures: overall effectiveness
-- good_or_outstanding for schools whose counted judgement is from before Sept 2024, each 2024/25
-- key judgement good_or_outstanding, each report-card area's grades. schools_in_group is every
-- open school; schools_judged_in_era those whose counted judgement is in this measure's era
-- (so a reader sees how much of the group each era describes), and
-- schools_latest_evidence_in_era those whose latest evidence of any kind (graded, ungraded,
-- report card) is in it. share is of schools_judged_in_era with a Wilson interval at
-- confidence_z; below suppress_below_schools judged in the era the outcome counts and shares
-- are NULL (suppressed = true): one or two schools would be identified.
with settings as (
    select max(value) filter (where key = 'confidence_z') as z,
           max(value) filter (where key = 'suppress_below_schools') as suppress_below,
           any_value(config_id) as config_id
    from meta.settings
),
schools as (
    select e.group_key, e.view, e.urn, e.inspection_number, le.reporting_era as latest_evidence_reporting_era
    from patterns.school_evidence e
    left join core.inspections le on le.inspection_number = e.latest_evidence_inspection_number
),
sizes as (
    select group_key, view, count(*) as schools_in_group from schools group by all
),
evidence_eras as (
    select group_key, view, latest_evidence_reporting_era as reporting_era, count(*) as schools_latest_evidence_in_era
    from schools where latest_evidence_reporting_era is not null group by all
),
measured as (
    select s.group_key, s.view, m.reporting_era, m.measure, m.outcome
    from schools s join core.judgement_measures m on m.inspection_number = s.inspection_number
),
judged as (
    select group_key, view, measure, count(*) as schools_judged_in_era from measured group by all
),
outcomes as (
    select group_key, view, reporting_era, measure, outcome, count(*) as schools_with_outcome from measured group by all
)
select
    o.group_key, g.group_name, g.group_kind, o.view, o.reporting_era, o.measure, o.outcome,
    z.schools_in_group, j.schools_judged_in_era, coalesce(ev.schools_latest_evidence_in_era, 0) as schools_latest_evidence_in_era,
    j.schools_judged_in_era < s.suppress_below as suppressed,
    case when j.schools_judged_in_era >= s.suppress_below then o.schools_with_outcome end as schools_with_outcome,
    case when j.schools_judged_in_era >= s.suppress_below then o.schools_with_outcome / j.schools_judged_in_era end
        as share,
    case when j.schools_judged_in_era >= s.suppress_below
         then wilson_low(o.schools_with_outcome / j.schools_judged_in_era, j.schools_judged_in_era, s.z) end as share_ci_low,
    case when j.schools_judged_in_era >= s.suppress_below
         then wilson_high(o.schools_with_outcome / j.schools_judged_in_era, j.schools_judged_in_era, s.z) end as share_ci_high,
    s.config_id
from outcomes o
join judged j using (group_key, view, measure)
join sizes z using (group_key, view)
join core.groups g on g.group_key = o.group_key
left join evidence_eras ev on ev.group_key = o.group_key and ev.view = o.view and ev.reporting_era = o.reporting_era
cross join settings s
