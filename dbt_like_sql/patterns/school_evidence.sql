-- patterns.school_evidence: what a row is, its columns and its checks are in school_evidence.yml beside this file.
with as_at as (
    select max(as_at) as as_at from core.inspections_in_context
),
thresholds as (
    select setting('pupil_weight_missing') as pupil_weight_missing,
           setting('stale_after_years') as stale_years,
           settings_config_id() as config_id
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
claimed as (
    -- one open school per inspection: the strongest link (core.inspection_links) among open schools
    -- wins, and a tie counts for nobody
    select l.*, i.category_of_concern, c.evidence_age_years, c.beyond_cycle
    from schools s
    join core.inspection_links l on l.urn = s.urn
    join core.inspections i on i.inspection_number = l.inspection_number
    join core.inspections_in_context c on c.inspection_number = l.inspection_number
    qualify l.link_rank = min(l.link_rank) over (partition by l.inspection_number)
        and count(*) over (partition by l.inspection_number, l.link_rank) = 1
),
latest_evidence as (
    -- per school and view family: own evidence only, or own and inherited
    select c.urn, v.view, c.inspection_number as latest_evidence_inspection_number,
           c.inspection_kind as latest_evidence_kind, c.inspection_start as latest_evidence_start
    from claimed c
    cross join (values ('including_inherited'), ('own_judgements'), ('under_group_only')) as v(view)
    where v.view = 'including_inherited' or c.link = 'own'
    qualify row_number() over (partition by c.urn, v.view
                               order by c.inspection_start desc, c.is_judgement desc, c.inspection_number desc) = 1
),
views(view) as (values ('including_inherited'), ('own_judgements'), ('under_group_only')),
counted_pick as (
    -- the window sorts only the keys: claimed has one row per inspection_number and members one per
    -- (group_key, urn), so the rest is joined back after the pick
    select m.group_key, m.urn, s.lineage_id, v.view, j.inspection_number
    from members m
    join schools s on s.urn = m.urn
    cross join views v
    left join claimed j
        on j.urn = m.urn and j.is_judgement
       and (v.view = 'including_inherited' or j.link = 'own')
       and (v.view <> 'under_group_only' or m.joined_on is null or j.inspection_start > m.joined_on)
    qualify row_number() over (partition by m.group_key, m.urn, v.view
                               order by j.link = 'own' desc nulls last,
                                        j.inspection_start desc nulls last, j.inspection_number desc) = 1
),
counted as (
    select m.*, p.lineage_id, p.view, p.inspection_number, j.urn_at_inspection, j.link, j.inspection_start,
           j.framework_era, j.reporting_era, j.outcome_band, j.category_of_concern, j.evidence_age_years,
           j.beyond_cycle
    from counted_pick p
    join members m on m.group_key = p.group_key and m.urn = p.urn
    left join claimed j on j.inspection_number = p.inspection_number
)
select
    c.group_key, c.group_kind, c.is_responsible_body, c.urn, c.lineage_id, c.view,
    c.joined_on, c.how_joined,
    round(date_diff('day', c.joined_on, a.as_at) / 365.25, 2) as years_in_group,
    s.establishment_name, s.phase, s.phase_group, s.establishment_group,
    s.is_mainstream,
    s.pupils, coalesce(s.pupils, t.pupil_weight_missing) as pupil_weight, s.fsm_percent,
    s.region, s.la_code, s.la_name,
    c.inspection_number, c.urn_at_inspection, c.link, c.inspection_start, c.framework_era, c.reporting_era,
    c.outcome_band,
    band_rank(c.outcome_band) as band_rank,
    c.category_of_concern,
    c.category_of_concern in ('SM', 'SWK') is true as has_category_of_concern,
    case when c.inspection_number is null then null
         when c.link <> 'own' then 'inherited_from_predecessor'
         when c.joined_on is not null and c.inspection_start <= c.joined_on then 'before_joining'
         else 'under_group' end as relation_to_group,
    a.as_at,
    c.evidence_age_years, c.evidence_age_years as judgement_age_years, c.beyond_cycle,
    le.latest_evidence_inspection_number, le.latest_evidence_kind, le.latest_evidence_start,
    round(date_diff('day', le.latest_evidence_start, a.as_at) / 365.25, 2) as latest_evidence_age_years,
    date_diff('day', le.latest_evidence_start, a.as_at) / 365.25 > t.stale_years as is_stale,
    t.config_id
from counted c
join schools s on s.urn = c.urn
cross join as_at a
cross join thresholds t
left join latest_evidence le on le.urn = c.urn and le.view = c.view
