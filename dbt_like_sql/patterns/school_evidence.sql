-- One row per open state-funded school in each group it belongs to now (every kind: trusts,
-- LAs, federations, sponsors) x view, with the judgement that view counts. Key: (group_key,
-- urn, view). Views: including_inherited = the latest graded or report-card judgement of
-- the school's current URN or, when it has none yet, the latest of its lineage (a
-- predecessor's: Ofsted's official-statistics method);
-- all_current = the latest judgement of the school's current URN, made before or after it
-- joined; under_group_only = the latest judgement of the current URN made after it joined
-- the group (a judgement on the join date is before joining). A school with no judgement in
-- a view has a row with NULL outcome_band (no evidence). relation_to_group says when the
-- counted judgement was made; evidence age, beyond_cycle and is_stale are those of
-- core.inspections_in_context (measured at the newest Ofsted snapshot against meta.settings).
with as_at as (
    select max(as_at) as as_at from core.inspections_in_context
),
thresholds as (
    select max(value) filter (where key = 'pupil_weight_missing') as pupil_weight_missing,
           any_value(config_id) as config_id
    from meta.settings
),
schools as (
    select * from patterns.school_attributes where is_open_state_funded
),
members as (
    select m.group_key, m.group_kind, m.is_responsible_body, m.urn, m.valid_from as joined_on, m.how_joined
    from core.group_memberships m
    where m.valid_to is null and m.urn in (select urn from schools)
    qualify row_number() over (partition by m.group_key, m.urn order by m.valid_from desc nulls last) = 1
),
judgements as (
    select c.inspection_number, c.lineage_id, c.urn_at_inspection, c.inspection_start, c.framework_era,
           c.outcome_band, i.category_of_concern, c.evidence_age_years, c.beyond_cycle, c.is_stale
    from core.inspections_in_context c
    join core.inspections i on i.inspection_number = c.inspection_number
    where c.inspection_kind in ('graded', 'report_card')
      and c.outcome_band in ('strong', 'secure', 'improvement_needed', 'serious_concern')
),
views(view) as (values ('including_inherited'), ('all_current'), ('under_group_only')),
counted as (
    select m.*, s.lineage_id, v.view, j.inspection_number, j.urn_at_inspection, j.inspection_start,
           j.framework_era, j.outcome_band, j.category_of_concern, j.evidence_age_years, j.beyond_cycle, j.is_stale
    from members m
    join schools s on s.urn = m.urn
    cross join views v
    left join judgements j
        on j.lineage_id = s.lineage_id
       and (v.view = 'including_inherited' or j.urn_at_inspection = m.urn)
       and (v.view <> 'under_group_only' or m.joined_on is null or j.inspection_start > m.joined_on)
    qualify row_number() over (partition by m.group_key, m.urn, v.view
                               order by j.urn_at_inspection = m.urn desc nulls last,
                                        j.inspection_start desc nulls last, j.inspection_number desc) = 1
)
select
    c.group_key, c.group_kind, c.is_responsible_body, c.urn, c.lineage_id, c.view,
    c.joined_on, c.how_joined,
    round(date_diff('day', c.joined_on, a.as_at) / 365.25, 2) as years_in_group,
    s.establishment_name, s.phase, s.phase_group, s.establishment_group,
    s.is_mainstream,
    s.pupils, coalesce(s.pupils, t.pupil_weight_missing) as pupil_weight, s.fsm_percent,
    s.region, s.la_code, s.la_name,
    c.inspection_number, c.urn_at_inspection, c.inspection_start, c.framework_era, c.outcome_band,
    band_rank(c.outcome_band) as band_rank,
    c.category_of_concern,
    c.category_of_concern in ('SM', 'SWK') is true as has_category_of_concern,
    case when c.inspection_number is null then null
         when c.urn_at_inspection <> c.urn then 'inherited_from_predecessor'
         when c.joined_on is not null and c.inspection_start <= c.joined_on then 'before_joining'
         else 'under_group' end as relation_to_group,
    a.as_at,
    c.evidence_age_years, c.beyond_cycle, c.is_stale,
    t.config_id
from counted c
join schools s on s.urn = c.urn
cross join as_at a
cross join thresholds t
