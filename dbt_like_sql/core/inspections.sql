-- core.inspections: what a row is, its columns and its checks are in inspections.yml beside this file.
with bands as (
    -- the cross-era summary band: the convention version named in meta.settings (cross_era_band)
    select * from staging.ofsted_outcome_bands
    where mapping_version = 'cross-era-v' || setting('cross_era_band')::integer
),
picked as (
    -- the observation kept per inspection is chosen on the few columns that order it and fetched
    -- by rowid afterwards: sorting the whole wide rows took most of the build
    select rowid as observation_row,
           count(*) over (partition by inspection_number) as times_seen,
           max(snapshot_date) over (partition by inspection_number) as last_seen_in_snapshot
    from staging.ofsted_inspection_observations
    qualify row_number() over (partition by inspection_number order by priority, snapshot_date desc, source_row) = 1
),
ranked as (
    select o.*, case when o.layout = 'report_card' then 'report_card' else 'graded' end as graded_kind,
           p.times_seen, p.last_seen_in_snapshot
    from picked p
    join staging.ofsted_inspection_observations o on o.rowid = p.observation_row
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
        nullif(nullif(trim(r.inspection_type), ''), 'NULL') as inspection_type,
        nullif(nullif(trim(r.type_grouping), ''), 'NULL') as inspection_type_grouping,
        nullif(nullif(trim(r.event_grouping), ''), 'NULL') as event_type_grouping,
        case when r.source_block = 'latest_ungraded' then 'ungraded'
             -- a section 8 visit deemed or converted to section 5 is graded: test it first
             when r.type_grouping ilike '%deemed section 5%' or r.event_grouping ilike '%deemed s5%'
                  or r.type_grouping ilike '%convert%' or r.event_grouping ilike '%conversion%'
                 then r.graded_kind
             when r.inspection_type ilike '%monitoring%' or r.type_grouping ilike '%monitoring%'
                  or r.event_grouping ilike '%monitoring%' then 'monitoring'
             when r.inspection_type ilike '%no formal designation%' or r.type_grouping ilike '%urgent%'
                 then 'urgent_no_formal_designation'
             when r.inspection_type ilike '%ungraded%' or r.type_grouping ilike '%ungraded%'
                  or r.type_grouping ilike 'short inspection%' or r.event_grouping ilike '%short inspection%'
                 then 'ungraded'
             when r.inspection_type ilike '%section 5%' or r.inspection_type ilike 's5 %' or r.inspection_type ilike '% s5 %'
                  or r.type_grouping ilike '%section 5%' or r.event_grouping ilike '%- s5' then r.graded_kind
             -- blocks that only hold graded inspections ("previous graded", "latest OEIF graded")
             when coalesce(nullif(trim(r.inspection_type), 'NULL'), '') = '' and r.source_block in ('previous_graded', 'official_previous',
                  'latest_graded', 'legacy_eif_graded', 'official_latest', 'latest_full') then r.graded_kind
             else 'other' end as inspection_kind,
        grade_1_to_4(r.overall_raw)
            as overall_effectiveness,
        grade_1_to_4(r.quality_of_education_raw) as quality_of_education,
        grade_1_to_4(r.behaviour_raw)
            as behaviour_and_attitudes,
        grade_1_to_4(r.personal_development_raw) as personal_development,
        grade_1_to_4(r.leadership_raw)
            as leadership_and_management,
        grade_1_to_4(r.outcomes_for_pupils_raw) as outcomes_for_pupils,
        grade_1_to_4(r.teaching_raw)
            as quality_of_teaching,
        grade_1_to_4(r.early_years_raw)
            as early_years,
        grade_1_to_4(r.sixth_form_raw)
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
        r.attribution_rule,
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
judged as (
    select s.*,
        case when not k.is_judgement then null
             when s.category_of_concern in ('SM', 'SWK') then 'serious_concern'
             when s.inspection_kind = 'report_card' and s.rc_safeguarding_standards = 'Not met' then 'serious_concern'
             when s.overall_effectiveness is not null then o.band
             when s.inspection_kind = 'graded' and s.worst_key_judgement is not null then
                 case when s.worst_key_judgement <= 2 and s.key_judgements_outstanding >= 2 then 'strong' else kj.band end
             when s.inspection_kind = 'report_card' then
                 case when s.areas_strong >= 4 and s.worst_area_position <= 3 then 'strong' else rc.band end
             end as judgement_band,
        coalesce(rc.concerns, false) as report_card_concerns,
        k.is_judgement,
        e.era as framework_era, e.reporting_era
    from scored s
    join staging.ofsted_inspection_kinds k on k.inspection_kind = s.inspection_kind
    left join staging.ofsted_framework_eras e on s.inspection_start >= e.starts_on and s.inspection_start < e.ends_before
    left join bands o on o.scale = 'overall' and o.value = s.overall_effectiveness::varchar
    left join bands kj on kj.scale = 'overall' and kj.value = s.worst_key_judgement::varchar
    left join bands rc on rc.scale = 'report_card' and rc.value =
        ['Exceptional', 'Strong standard', 'Expected standard', 'Needs attention', 'Urgent improvement'][s.worst_area_position]
),
placed as (
    select j.*, coalesce(la.lineage_id, lc.lineage_id, j.urn_at_inspection) as lineage_id
    from judged j
    left join core.school_lineage la on la.urn = j.urn_at_inspection
    left join core.school_lineage lc on lc.urn = j.current_urn
),
confirmed as (
    -- the judgement an ungraded inspection confirms: the last one of the school inspected or of
    -- an ancestor (core.school_ancestry) before it
    select u.inspection_number, p.inspection_number as confirms_inspection_number,
           p.overall_effectiveness as confirmed_grade, p.judgement_band as confirmed_band
    from placed u
    join (select urn, ancestor_urn from core.school_ancestry
          union select urn_at_inspection, urn_at_inspection from placed) a on a.urn = u.urn_at_inspection
    join placed p on p.is_judgement and p.urn_at_inspection = a.ancestor_urn and p.inspection_start < u.inspection_start
    where u.inspection_kind = 'ungraded'
    qualify row_number() over (partition by u.inspection_number
                               order by p.inspection_start desc, p.inspection_number desc) = 1
),
banded as (
    select p.*,
        c.confirms_inspection_number,
        case when p.inspection_kind = 'ungraded' then
            coalesce(uo.standing_stated,
                     case c.confirmed_grade when 1 then 'Outstanding' when 2 then 'Good'
                                            when 3 then 'Requires improvement' when 4 then 'Inadequate' end,
                     case c.confirmed_band when 'strong' then 'Outstanding' when 'secure' then 'Good'
                                           when 'improvement_needed' then 'Requires improvement'
                                           when 'serious_concern' then 'Inadequate' end)
        end as standing_confirmed,
        uo.direction as ungraded_direction,
        uo.maintained_or_improved
    from placed p
    left join confirmed c on c.inspection_number = p.inspection_number
    left join staging.ofsted_ungraded_outcomes uo on uo.value = p.ungraded_outcome
),
final as (
    select b.*,
        case when b.is_judgement then b.judgement_band
             when b.inspection_kind = 'ungraded' then coalesce(sb.band, 'unmapped')
             else 'not_graded' end as outcome_band,
        b.report_card_concerns or coalesce(b.ungraded_direction = 'declining', false)
            or coalesce(b.ungraded_outcome = 'Not taking effective action', false) as concerns_flagged
    from banded b
    left join bands sb on sb.scale = 'standing' and sb.value = b.standing_confirmed
)
select
    b.inspection_number,
    b.urn_at_inspection,
    b.current_urn,
    b.lineage_id,
    b.urn_at_inspection is distinct from b.current_urn as is_predecessor_inspection,
    b.attribution_rule,
    b.inspection_start,
    b.publication_date,
    b.framework_era,
    b.reporting_era,
    b.inspection_kind,
    b.is_judgement,
    b.inspection_type, b.inspection_type_grouping, b.event_type_grouping,
    b.overall_effectiveness, b.quality_of_education, b.behaviour_and_attitudes, b.personal_development,
    b.leadership_and_management, b.outcomes_for_pupils, b.quality_of_teaching, b.early_years, b.sixth_form,
    b.safeguarding_effective, b.category_of_concern, b.ungraded_outcome, b.converted_from_ungraded,
    b.ungraded_direction, b.maintained_or_improved, b.standing_confirmed, b.confirms_inspection_number,
    b.rc_safeguarding_standards, b.rc_inclusion, b.rc_curriculum_and_teaching, b.rc_achievement,
    b.rc_attendance_and_behaviour, b.rc_personal_development_and_wellbeing, b.rc_leadership_and_governance,
    b.rc_early_years, b.rc_post16,
    b.outcome_band, b.concerns_flagged,
    (select any_value(mapping_version) from bands) as outcome_band_mapping,
    b.overall_effectiveness_raw,
    b.times_seen, b.last_seen_in_snapshot, b.source_block, b.source_file, b.source_row
from final b
