-- One row per school Ofsted lists on a snapshot date x view: the judgement that counted for
-- it on that date and the responsible body it had then. Key: (as_at, source_family, urn,
-- view). The population is the file's own list (staging.ofsted_school_snapshots), so shares
-- follow Ofsted's state-funded school counts. view own_judgements: the latest graded or
-- report-card judgement of the URN itself started on or before as_at; including_inherited:
-- the same, or when the URN has none yet, the latest of its lineage (a predecessor's:
-- Ofsted's official-statistics method since 2018). Judgements count by start date; Ofsted
-- counts reports published by a cut-off a month or so later, so a few schools inspected just
-- before as_at may differ from its figures. body_kind: the GIAS responsible body on as_at
-- (core.group_memberships), 'no_responsible_body' when GIAS shows none then. phase_group
-- from the file's phase, else GIAS's.
with settings as (
    select max(value) filter (where key = 'stale_after_years') as stale_years,
           max(value) filter (where key = 'weak_band_rank_min') as weak_rank
    from meta.settings
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
judgements as (
    select inspection_number, lineage_id, urn_at_inspection, current_urn, inspection_start, framework_era,
           outcome_band
    from core.inspections
    where inspection_kind in ('graded', 'report_card') and band_rank(outcome_band) is not null
),
candidates as (
    -- by lineage, and by the URN the inspection is filed under (lineages GIAS does not know)
    select p.as_at, p.source_family, p.urn, j.* exclude (lineage_id)
    from population p join judgements j on j.lineage_id = p.lineage_id and j.inspection_start <= p.as_at
    union
    select p.as_at, p.source_family, p.urn, j.* exclude (lineage_id)
    from population p join judgements j on j.current_urn = p.urn and j.inspection_start <= p.as_at
),
views(view) as (values ('including_inherited'), ('own_judgements')),
counted as (
    select p.*, v.view, c.inspection_number, c.urn_at_inspection, c.inspection_start, c.framework_era, c.outcome_band
    from population p
    cross join views v
    left join candidates c
        on c.as_at = p.as_at and c.source_family = p.source_family and c.urn = p.urn
       and (v.view = 'including_inherited' or c.urn_at_inspection = p.urn)
    qualify row_number() over (partition by p.as_at, p.source_family, p.urn, v.view
                               order by c.urn_at_inspection = p.urn desc nulls last,
                                        c.inspection_start desc nulls last, c.inspection_number desc) = 1
)
select
    c.as_at, c.source_family, c.urn, c.view, c.lineage_id, c.la_code, c.la_name, c.region, c.phase_group,
    coalesce(m.group_key, 'none') as body_key,
    coalesce(m.group_kind, 'no_responsible_body') as body_kind,
    c.inspection_number, c.urn_at_inspection, c.inspection_start, c.framework_era, c.outcome_band,
    band_rank(c.outcome_band) as band_rank,
    band_rank(c.outcome_band) <= 2 as good_or_better,
    band_rank(c.outcome_band) >= t.weak_rank as weak,
    round(date_diff('day', c.inspection_start, c.as_at) / 365.25, 2) as evidence_age_years,
    date_diff('day', c.inspection_start, c.as_at) / 365.25 > t.stale_years as is_stale
from counted c
cross join settings t
left join core.group_memberships m
    on m.urn = c.urn and m.is_responsible_body
   and (m.valid_from is null or m.valid_from <= c.as_at) and (m.valid_to is null or m.valid_to > c.as_at)
qualify row_number() over (partition by c.as_at, c.source_family, c.urn, c.view order by m.valid_from desc nulls last) = 1
