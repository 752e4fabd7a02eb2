-- patterns.snapshot_judgements: what a row is, its columns and its checks are in snapshot_judgements.yml beside this file.
with settings as (
    select setting('stale_after_years') as stale_years,
           setting('weak_band_rank_min') as weak_rank

),
population as (
    select s.snapshot_date as as_at, s.source_family, s.urn, s.la_code, s.la_name, s.region,
           coalesce(l.lineage_id, s.urn) as lineage_id,
           case when s.ofsted_phase ilike 'primary%' then 'primary'
                when s.ofsted_phase ilike 'secondary%' then 'secondary'
                when s.ofsted_phase ilike 'special%' then 'special'
                when s.ofsted_phase ilike 'nursery%' then 'nursery'
                when regexp_matches(lower(s.ofsted_phase), '^pru|alternative provision|pupil referral')
                    then 'alternative_provision'
                when s.ofsted_phase ilike 'all%through%' then 'all_through'
                else coalesce(a.phase_group, 'other') end as phase_group
    from staging.ofsted_school_snapshots s
    left join core.school_lineage l on l.urn = s.urn
    left join patterns.school_attributes a on a.urn = s.urn
    where s.urn is not null
),
claimed as (
    -- one school per inspection and date: the strongest link (core.inspection_links) among the
    -- schools listed wins, and a tie counts for nobody (the runner-up in link order has the same
    -- rank: one sort serves both tests)
    select p.as_at, p.source_family, l.urn, l.inspection_number, l.link, l.inspection_start, l.is_judgement
    from population p
    join core.inspection_links l on l.urn = p.urn and l.inspection_start <= p.as_at
    window claim as (partition by p.as_at, p.source_family, l.inspection_number order by l.link_rank)
    qualify row_number() over claim = 1 and lead(l.link_rank) over claim is distinct from l.link_rank
),
chosen as (
    -- both views in one pass over a school's claims (own_judgements is including_inherited cut to
    -- own links). inspection_number is unique within a school's claims, so each order is total
    -- and arg_max picks what row_number() = 1 would; the inspection's other columns are joined
    -- back from core.inspections, where core.inspection_links copied them from
    select as_at, source_family, urn,
           arg_max(inspection_number, (link = 'own', inspection_start, inspection_number))
               filter (where is_judgement) as counted_inherited,
           arg_max(link, (link = 'own', inspection_start, inspection_number))
               filter (where is_judgement) as counted_inherited_link,
           arg_max(inspection_number, (inspection_start, inspection_number))
               filter (where is_judgement and link = 'own') as counted_own,
           arg_max(inspection_number, (inspection_start, is_judgement, inspection_number)) as latest_inherited,
           arg_max(inspection_number, (inspection_start, is_judgement, inspection_number))
               filter (where link = 'own') as latest_own
    from claimed
    group by all
),
views(view) as (values ('including_inherited'), ('own_judgements')),
placed as (
    select p.*, v.view,
           case v.view when 'own_judgements' then s.counted_own else s.counted_inherited end as inspection_number,
           case v.view when 'own_judgements' then s.latest_own else s.latest_inherited end
               as latest_evidence_inspection_number,
           case when v.view = 'own_judgements' then case when s.counted_own is not null then 'own' end
                else s.counted_inherited_link end as link
    from population p
    cross join views v
    left join chosen s on s.as_at = p.as_at and s.source_family = p.source_family and s.urn = p.urn
),
bodies as (
    -- the responsible body depends on the school and date only, not on the file family or view
    select d.as_at, d.urn, m.group_key, m.group_kind
    from (select distinct as_at, urn from population) d
    left join core.group_memberships m
        on m.urn = d.urn and m.is_responsible_body
       and (m.valid_from is null or m.valid_from <= d.as_at) and (m.valid_to is null or m.valid_to > d.as_at)
    qualify row_number() over (partition by d.as_at, d.urn order by m.valid_from desc nulls last) = 1
)
select
    c.as_at, c.source_family, c.urn, c.view, c.lineage_id, c.la_code, c.la_name, c.region, c.phase_group,
    coalesce(m.group_key, 'none') as body_key,
    coalesce(m.group_kind, 'no_responsible_body') as body_kind,
    c.inspection_number, i.urn_at_inspection, c.link, i.inspection_start, i.framework_era, i.reporting_era,
    i.overall_effectiveness, i.quality_of_education, i.behaviour_and_attitudes, i.personal_development,
    i.leadership_and_management, i.rc_inclusion, i.rc_curriculum_and_teaching, i.rc_achievement,
    i.rc_attendance_and_behaviour, i.rc_personal_development_and_wellbeing, i.rc_leadership_and_governance,
    i.rc_safeguarding_standards,
    i.outcome_band,
    band_rank(i.outcome_band) as band_rank,
    band_rank(i.outcome_band) <= 2 as good_or_better,
    band_rank(i.outcome_band) >= t.weak_rank as weak,
    round(date_diff('day', i.inspection_start, c.as_at) / 365.25, 2) as judgement_age_years,
    c.latest_evidence_inspection_number, le.inspection_kind as latest_evidence_kind,
    le.inspection_start as latest_evidence_start, le.framework_era as latest_evidence_era,
    round(date_diff('day', le.inspection_start, c.as_at) / 365.25, 2) as evidence_age_years,
    date_diff('day', le.inspection_start, c.as_at) / 365.25 > t.stale_years as is_stale
from placed c
cross join settings t
left join core.inspections i on i.inspection_number = c.inspection_number
left join core.inspections le on le.inspection_number = c.latest_evidence_inspection_number
left join bodies m on m.as_at = c.as_at and m.urn = c.urn
