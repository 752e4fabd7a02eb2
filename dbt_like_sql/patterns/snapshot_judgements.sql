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
    -- schools listed wins, and a tie counts for nobody
    select p.as_at, p.source_family, l.*
    from population p
    join core.inspection_links l on l.urn = p.urn and l.inspection_start <= p.as_at
    qualify l.link_rank = min(l.link_rank) over (partition by p.as_at, p.source_family, l.inspection_number)
        and count(*) over (partition by p.as_at, p.source_family, l.inspection_number, l.link_rank) = 1
),
views(view) as (values ('including_inherited'), ('own_judgements')),
in_view as (
    select p.as_at, p.source_family, p.urn, v.view, c.* exclude (as_at, source_family, urn)
    from population p
    cross join views v
    join claimed c on c.as_at = p.as_at and c.source_family = p.source_family and c.urn = p.urn
                  and (v.view = 'including_inherited' or c.link = 'own')
),
counted as (
    select * from in_view where is_judgement
    qualify row_number() over (partition by as_at, source_family, urn, view
                               order by link = 'own' desc, inspection_start desc, inspection_number desc) = 1
),
latest_evidence as (
    select * from in_view
    qualify row_number() over (partition by as_at, source_family, urn, view
                               order by inspection_start desc, is_judgement desc, inspection_number desc) = 1
),
placed as (
    select p.*, v.view,
           c.inspection_number, c.urn_at_inspection, c.link, c.inspection_start, c.framework_era, c.reporting_era,
           c.outcome_band,
           le.inspection_number as latest_evidence_inspection_number, le.inspection_kind as latest_evidence_kind,
           le.inspection_start as latest_evidence_start, le.framework_era as latest_evidence_era
    from population p
    cross join views v
    left join counted c on c.as_at = p.as_at and c.source_family = p.source_family and c.urn = p.urn and c.view = v.view
    left join latest_evidence le on le.as_at = p.as_at and le.source_family = p.source_family and le.urn = p.urn
                                and le.view = v.view
)
select
    c.as_at, c.source_family, c.urn, c.view, c.lineage_id, c.la_code, c.la_name, c.region, c.phase_group,
    coalesce(m.group_key, 'none') as body_key,
    coalesce(m.group_kind, 'no_responsible_body') as body_kind,
    c.inspection_number, c.urn_at_inspection, c.link, c.inspection_start, c.framework_era, c.reporting_era,
    i.overall_effectiveness, i.quality_of_education, i.behaviour_and_attitudes, i.personal_development,
    i.leadership_and_management, i.rc_inclusion, i.rc_curriculum_and_teaching, i.rc_achievement,
    i.rc_attendance_and_behaviour, i.rc_personal_development_and_wellbeing, i.rc_leadership_and_governance,
    i.rc_safeguarding_standards,
    c.outcome_band,
    band_rank(c.outcome_band) as band_rank,
    band_rank(c.outcome_band) <= 2 as good_or_better,
    band_rank(c.outcome_band) >= t.weak_rank as weak,
    round(date_diff('day', c.inspection_start, c.as_at) / 365.25, 2) as judgement_age_years,
    c.latest_evidence_inspection_number, c.latest_evidence_kind, c.latest_evidence_start, c.latest_evidence_era,
    round(date_diff('day', c.latest_evidence_start, c.as_at) / 365.25, 2) as evidence_age_years,
    date_diff('day', c.latest_evidence_start, c.as_at) / 365.25 > t.stale_years as is_stale
from placed c
cross join settings t
left join core.inspections i on i.inspection_number = c.inspection_number
left join core.group_memberships m
    on m.urn = c.urn and m.is_responsible_body
   and (m.valid_from is null or m.valid_from <= c.as_at) and (m.valid_to is null or m.valid_to > c.as_at)
qualify row_number() over (partition by c.as_at, c.source_family, c.urn, c.view order by m.valid_from desc nulls last) = 1
