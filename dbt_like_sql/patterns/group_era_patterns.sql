-- patterns.group_era_patterns: what a row is, its columns and its checks are in group_era_patterns.yml beside this file.
with settings as (
    select setting('confidence_z') as z,
           setting('suppress_below_schools') as suppress_below,
           settings_config_id() as config_id

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
    o.group_key, g.group_name, g.display_name, g.group_kind, o.view, o.reporting_era, o.measure, o.outcome,
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
