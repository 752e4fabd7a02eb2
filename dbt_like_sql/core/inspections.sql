-- One row per inspection event, harmonised across the frameworks (pre-2015, CIF, EIF graded
-- 1-4, 2024/25 sub-judgements only, report cards from Nov 2025, ungraded section 8 visits,
-- monitoring). Key: inspection_number. An inspection seen in several files and snapshots
-- appears once: the in-year file's row wins, then the newest latest-inspections block, then
-- official statistics. Grades are 1-4 (9, 8, 'NULL', 'Not judged' become NULL; raw kept).
-- urn_at_inspection is the URN inspected (a predecessor's for inherited judgements);
-- current_urn the school the newest file row describes; lineage_id from core.school_lineage.
-- outcome_band follows staging.ofsted_outcome_bands (mapping_version recorded): the overall
-- grade, else the worst key judgement (strong when two or more are 1), else the worst
-- report-card area (strong when four or more of the six core areas are strong or
-- exceptional and none is below expected), else the ungraded outcome; special measures or
-- serious weaknesses are always serious_concern; monitoring visits are not_graded.
with ranked as (
    select *, count(*) over (partition by inspection_number) as times_seen,
           max(snapshot_date) over (partition by inspection_number) as last_seen_in_snapshot
    from staging.ofsted_inspection_observations
    qualify row_number() over (partition by inspection_number order by priority, snapshot_date desc, source_row) = 1
),
newest_school as (
    select inspection_number, school_urn as current_urn
    from staging.ofsted_inspection_observations
    qualify row_number() over (partition by inspection_number order by snapshot_date desc, priority, source_row) = 1
),
typed as (
    select
        r.inspection_number,
        r.urn_at_inspection,
        n.current_urn,
        try_strptime(nullif(r.start_raw, 'NULL'), '%d/%m/%Y')::date as inspection_start,
        try_strptime(nullif(r.publication_raw, 'NULL'), '%d/%m/%Y')::date as publication_date,
        nullif(r.inspection_type, 'NULL') as inspection_type,
        nullif(r.type_grouping, 'NULL') as inspection_type_grouping,
        nullif(r.event_grouping, 'NULL') as event_type_grouping,
        case when nullif(r.rc_inclusion, 'NULL') is not null then 'report_card'
             when r.source_block = 'latest_ungraded' then 'ungraded'
             when r.source_block <> 'in_year' then 'graded'
             when nullif(nullif(r.quality_of_education_raw, ''), 'NULL') is not null then 'graded'
             when r.event_grouping ilike '%monitor%' or r.inspection_type ilike '%monitor%'
                  or r.inspection_type ilike '%special measures%' or r.ungraded_outcome ilike '%taking effective action%'
                 then 'monitoring'
             else 'ungraded' end as inspection_kind,
        case when try_cast(r.overall_raw as integer) between 1 and 4 then try_cast(r.overall_raw as integer) end
            as overall_effectiveness,
        case when try_cast(r.quality_of_education_raw as integer) between 1 and 4
             then try_cast(r.quality_of_education_raw as integer) end as quality_of_education,
        case when try_cast(r.behaviour_raw as integer) between 1 and 4 then try_cast(r.behaviour_raw as integer) end
            as behaviour_and_attitudes,
        case when try_cast(r.personal_development_raw as integer) between 1 and 4
             then try_cast(r.personal_development_raw as integer) end as personal_development,
        case when try_cast(r.leadership_raw as integer) between 1 and 4 then try_cast(r.leadership_raw as integer) end
            as leadership_and_management,
        case when try_cast(r.outcomes_for_pupils_raw as integer) between 1 and 4
             then try_cast(r.outcomes_for_pupils_raw as integer) end as outcomes_for_pupils,
        case when try_cast(r.teaching_raw as integer) between 1 and 4 then try_cast(r.teaching_raw as integer) end
            as quality_of_teaching,
        case when try_cast(r.early_years_raw as integer) between 1 and 4 then try_cast(r.early_years_raw as integer) end
            as early_years,
        case when try_cast(r.sixth_form_raw as integer) between 1 and 4 then try_cast(r.sixth_form_raw as integer) end
            as sixth_form,
        case when r.safeguarding_raw = 'Yes' or r.rc_safeguarding = 'Met' then true
             when r.safeguarding_raw = 'No' or r.rc_safeguarding = 'Not met' then false end as safeguarding_effective,
        nullif(nullif(trim(r.category_raw), ''), 'NULL') as category_of_concern,
        nullif(nullif(trim(r.ungraded_outcome), ''), 'NULL') as ungraded_outcome,
        r.converted_raw = 'Yes' as converted_from_ungraded,
        nullif(r.rc_safeguarding, 'NULL') as rc_safeguarding_standards,
        nullif(r.rc_inclusion, 'NULL') as rc_inclusion,
        nullif(r.rc_curriculum, 'NULL') as rc_curriculum_and_teaching,
        nullif(r.rc_achievement, 'NULL') as rc_achievement,
        nullif(r.rc_attendance, 'NULL') as rc_attendance_and_behaviour,
        nullif(r.rc_personal_development, 'NULL') as rc_personal_development_and_wellbeing,
        nullif(r.rc_leadership, 'NULL') as rc_leadership_and_governance,
        nullif(nullif(r.rc_early_years, 'NULL'), 'Not applicable') as rc_early_years,
        nullif(nullif(r.rc_post16, 'NULL'), 'Not applicable') as rc_post16,
        r.overall_raw as overall_effectiveness_raw,
        r.times_seen, r.last_seen_in_snapshot, r.source_block, r.source_file, r.source_row
    from ranked r
    left join newest_school n on n.inspection_number = r.inspection_number
),
scored as (
    select t.*,
        greatest(quality_of_education, behaviour_and_attitudes, personal_development, leadership_and_management)
            as worst_key_judgement,
        (quality_of_education = 1)::int + (behaviour_and_attitudes = 1)::int + (personal_development = 1)::int
            + (leadership_and_management = 1)::int as key_judgements_outstanding,
        list_max([list_position(['Exceptional', 'Strong standard', 'Expected standard', 'Needs attention',
                                 'Urgent improvement'], a)
                  for a in [rc_inclusion, rc_curriculum_and_teaching, rc_achievement, rc_attendance_and_behaviour,
                            rc_personal_development_and_wellbeing, rc_leadership_and_governance] if a is not null])
            as worst_area_position,
        len([a for a in [rc_inclusion, rc_curriculum_and_teaching, rc_achievement, rc_attendance_and_behaviour,
                         rc_personal_development_and_wellbeing, rc_leadership_and_governance]
             if a in ('Exceptional', 'Strong standard')]) as areas_strong
    from typed t
),
banded as (
    select s.*,
        case when s.inspection_kind = 'monitoring' then 'not_graded'
             when s.category_of_concern in ('SM', 'SWK') then 'serious_concern'
             when s.overall_effectiveness is not null then o.band
             when s.inspection_kind = 'graded' and s.worst_key_judgement is not null then
                 case when s.worst_key_judgement <= 2 and s.key_judgements_outstanding >= 2 then 'strong' else k.band end
             when s.inspection_kind = 'report_card' then
                 case when s.areas_strong >= 4 and s.worst_area_position <= 3 and s.rc_safeguarding_standards = 'Met'
                      then 'strong'
                      when s.rc_safeguarding_standards = 'Not met' then 'serious_concern'
                      else rc.band end
             when s.inspection_kind = 'ungraded' then coalesce(u.band, 'unmapped')
             else 'not_graded' end as outcome_band,
        coalesce(u.concerns, false) as concerns_flagged
    from scored s
    left join staging.ofsted_outcome_bands o on o.scale = 'overall' and o.value = s.overall_effectiveness::varchar
    left join staging.ofsted_outcome_bands k on k.scale = 'overall' and k.value = s.worst_key_judgement::varchar
    left join staging.ofsted_outcome_bands rc on rc.scale = 'report_card' and rc.value =
        ['Exceptional', 'Strong standard', 'Expected standard', 'Needs attention', 'Urgent improvement'][s.worst_area_position]
    left join staging.ofsted_outcome_bands u on u.scale = 'ungraded' and u.value = s.ungraded_outcome
)
select
    b.inspection_number,
    b.urn_at_inspection,
    b.current_urn,
    coalesce(la.lineage_id, lc.lineage_id, b.urn_at_inspection) as lineage_id,
    b.urn_at_inspection is distinct from b.current_urn as is_predecessor_inspection,
    b.inspection_start,
    b.publication_date,
    e.era as framework_era,
    b.inspection_kind,
    b.inspection_type, b.inspection_type_grouping, b.event_type_grouping,
    b.overall_effectiveness, b.quality_of_education, b.behaviour_and_attitudes, b.personal_development,
    b.leadership_and_management, b.outcomes_for_pupils, b.quality_of_teaching, b.early_years, b.sixth_form,
    b.safeguarding_effective, b.category_of_concern, b.ungraded_outcome, b.converted_from_ungraded,
    b.rc_safeguarding_standards, b.rc_inclusion, b.rc_curriculum_and_teaching, b.rc_achievement,
    b.rc_attendance_and_behaviour, b.rc_personal_development_and_wellbeing, b.rc_leadership_and_governance,
    b.rc_early_years, b.rc_post16,
    b.outcome_band, b.concerns_flagged,
    (select max(mapping_version) from staging.ofsted_outcome_bands) as outcome_band_mapping,
    b.overall_effectiveness_raw,
    b.times_seen, b.last_seen_in_snapshot, b.source_block, b.source_file, b.source_row
from banded b
left join staging.ofsted_framework_eras e on b.inspection_start >= e.starts_on and b.inspection_start < e.ends_before
left join core.school_lineage la on la.urn = b.urn_at_inspection
left join core.school_lineage lc on lc.urn = b.current_urn
