-- core.inspections_in_context: what a row is, its columns and its checks are in inspections_in_context.yml beside this file.
with as_at as (
    select max(snapshot_date) as as_at from staging.ofsted_inspection_observations
),
thresholds as (
    select setting('inspection_cycle_years') as cycle_years,
           setting('stale_after_years') as stale_years
),
responsible as (
    select * from core.group_memberships where is_responsible_body
),
context as (
    select
        i.*,
        a.as_at,
        at_inspection.group_key as body_at_inspection,
        now_body.group_key as current_body,
        now_body.group_kind as current_body_kind,
        now_body.valid_from as current_body_joined
    from core.inspections i
    cross join as_at a
    left join responsible at_inspection
        on at_inspection.urn = i.urn_at_inspection
       and (at_inspection.valid_from is null or at_inspection.valid_from <= i.inspection_start)
       and (at_inspection.valid_to is null or at_inspection.valid_to > i.inspection_start)
    left join responsible now_body
        on now_body.urn = i.current_urn
       and (now_body.valid_from is null or now_body.valid_from <= a.as_at)
       and (now_body.valid_to is null or now_body.valid_to > a.as_at)
)
select
    c.inspection_number,
    c.lineage_id,
    c.urn_at_inspection,
    c.current_urn,
    c.inspection_start,
    c.framework_era,
    c.reporting_era,
    c.inspection_kind,
    c.is_judgement,
    c.outcome_band,
    c.standing_confirmed,
    c.body_at_inspection,
    c.current_body,
    c.current_body_kind,
    c.current_body_joined,
    case when c.current_body is null then 'no_current_body'
         when c.urn_at_inspection is distinct from c.current_urn then 'inherited_from_predecessor'
         when c.current_body_joined is not null and c.inspection_start <= c.current_body_joined then 'before_joining'
         else 'under_group' end as relation_to_current_body,
    c.as_at,
    round(date_diff('day', c.inspection_start, c.as_at) / 365.25, 2) as evidence_age_years,
    date_diff('day', c.inspection_start, c.as_at) / 365.25 > t.cycle_years as beyond_cycle,
    date_diff('day', c.inspection_start, c.as_at) / 365.25 > t.stale_years as is_stale,
    row_number() over (partition by c.current_urn order by c.inspection_start desc, c.inspection_number desc) = 1
        as is_latest,
    c.is_judgement
        and row_number() over (partition by c.current_urn, c.is_judgement
                               order by c.inspection_start desc, c.inspection_number desc) = 1 as is_latest_judgement
from context c
cross join thresholds t
