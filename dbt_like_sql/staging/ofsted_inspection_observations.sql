-- staging.ofsted_inspection_observations: what a row is, its columns and its checks are in ofsted_inspection_observations.yml beside this file.
with latest_r1 as (
    select * from raw.ofsted_mi_latest where "Inspection number of latest graded inspection" is not null
),
latest_r3 as (
    select * from raw.ofsted_mi_latest where "Inspection number of latest full inspection" is not null
),
observations as (
    -- in-year files, 2024/25 layout (sub-judgements, no overall effectiveness)
    select "Inspection number" as inspection_number, "URN" as urn_at_inspection, "URN" as school_urn,
           'in_year_row' as attribution_rule, 'grades_1_to_4' as layout,
           "Inspection start date" as start_raw, "Publication date" as publication_raw,
           "Inspection type" as inspection_type, "Inspection type grouping" as type_grouping,
           "Event type grouping" as event_grouping, null as overall_raw, "Category of concern" as category_raw,
           "Quality of education" as quality_of_education_raw, "Behaviour and attitudes" as behaviour_raw,
           "Personal development" as personal_development_raw,
           "Effectiveness of leadership and management" as leadership_raw,
           "Safeguarding is effective" as safeguarding_raw, "Early years provision (where applicable)" as early_years_raw,
           "Sixth form provision (where applicable)" as sixth_form_raw,
           "Outcomes for ungraded and monitoring inspections" as ungraded_outcome,
           "Did the latest ungraded inspection convert to a graded inspection?" as converted_raw,
           null as rc_safeguarding, null as rc_inclusion, null as rc_curriculum, null as rc_achievement,
           null as rc_attendance, null as rc_personal_development, null as rc_leadership, null as rc_early_years,
           null as rc_post16, 'in_year' as source_block, 1 as priority, _snapshot_date, _source_file, _row_number
    from raw.ofsted_mi_in_year where "Quality of education" is not null or "Outcomes for ungraded and monitoring inspections" is not null
    union all by name
    -- in-year files, report-card layout (from 10 Nov 2025)
    select "Inspection number" as inspection_number, "URN" as urn_at_inspection, "URN" as school_urn,
           'in_year_row' as attribution_rule, 'report_card' as layout,
           "Inspection start date" as start_raw, "Publication date" as publication_raw,
           "Inspection type" as inspection_type, "Inspection type grouping" as type_grouping,
           "Event type grouping" as event_grouping, "Category of concern" as category_raw,
           "Safeguarding standards" as rc_safeguarding, "Inclusion" as rc_inclusion,
           "Curriculum and teaching" as rc_curriculum, "Achievement" as rc_achievement,
           "Attendance and behaviour" as rc_attendance, "Personal development and wellbeing" as rc_personal_development,
           "Leadership and governance" as rc_leadership, "Early years (where applicable)" as rc_early_years,
           "Post-16 provision (where applicable)" as rc_post16,
           'in_year' as source_block, 1 as priority, _snapshot_date, _source_file, _row_number
    from raw.ofsted_mi_in_year where "Inclusion" is not null
    union all by name
    -- latest files, EIF layout: latest graded
    select "Inspection number of latest graded inspection" as inspection_number,
           "URN at time of latest graded inspection" as urn_at_time, "URN" as school_urn, 'grades_1_to_4' as layout,
           "Inspection start date" as start_raw, "Publication date" as publication_raw,
           "Inspection type" as inspection_type, "Inspection type grouping" as type_grouping,
           "Event type grouping" as event_grouping, "Overall effectiveness" as overall_raw,
           "Category of concern" as category_raw, "Quality of education" as quality_of_education_raw,
           "Behaviour and attitudes" as behaviour_raw, "Personal development" as personal_development_raw,
           "Effectiveness of leadership and management" as leadership_raw,
           "Safeguarding is effective?" as safeguarding_raw, "Early years provision (where applicable)" as early_years_raw,
           "Sixth form provision (where applicable)" as sixth_form_raw,
           'latest_graded' as source_block, 2 as priority, _snapshot_date, _source_file, _row_number
    from latest_r1
    union all by name
    -- latest files, EIF layout: previous graded
    select "Previous graded inspection number" as inspection_number,
           "URN at time of previous graded inspection" as urn_at_time, "URN" as school_urn, 'grades_1_to_4' as layout,
           "Previous inspection start date" as start_raw, "Previous publication date" as publication_raw,
           "Previous graded inspection overall effectiveness" as overall_raw, "Previous category of concern" as category_raw,
           "Previous quality of education" as quality_of_education_raw, "Previous behaviour and attitudes" as behaviour_raw,
           "Previous personal development" as personal_development_raw,
           "Previous effectiveness of leadership and management" as leadership_raw,
           "Previous safeguarding is effective?" as safeguarding_raw,
           "Previous early years provision (where applicable)" as early_years_raw,
           "Previous sixth form provision (where applicable)" as sixth_form_raw,
           'previous_graded' as source_block, 4 as priority, _snapshot_date, _source_file, _row_number
    from latest_r1
    union all by name
    -- latest files (both layouts): latest ungraded
    select coalesce("Latest ungraded inspection number since last graded inspection", "Latest ungraded inspection number")
               as inspection_number,
           "URN at time of the ungraded inspection" as urn_at_time, "URN" as school_urn,
           "Date of latest ungraded inspection" as start_raw, "Ungraded inspection publication date" as publication_raw,
           'Section 8 ungraded inspection' as type_grouping, "Ungraded inspection overall outcome" as ungraded_outcome,
           "Did the latest ungraded inspection convert to a graded inspection?" as converted_raw,
           'latest_ungraded' as source_block, 2 as priority, _snapshot_date, _source_file, _row_number
    from raw.ofsted_mi_latest
    union all by name
    -- latest files, report-card layout: latest full inspection
    select "Inspection number of latest full inspection" as inspection_number,
           "URN at time of latest full inspection" as urn_at_time, "URN" as school_urn, 'report_card' as layout,
           "Inspection start date" as start_raw, "Publication date" as publication_raw,
           "Inspection type" as inspection_type, "Inspection type grouping" as type_grouping,
           "Event type grouping" as event_grouping, "Category of concern" as category_raw,
           "Safeguarding standards" as rc_safeguarding, "Inclusion" as rc_inclusion,
           "Curriculum and teaching" as rc_curriculum, "Achievement" as rc_achievement,
           "Attendance and behaviour" as rc_attendance, "Personal development and wellbeing" as rc_personal_development,
           "Leadership and governance" as rc_leadership, "Early years (where applicable)" as rc_early_years,
           "Post-16 provision (where applicable)" as rc_post16,
           'latest_full' as source_block, 2 as priority, _snapshot_date, _source_file, _row_number
    from latest_r3
    union all by name
    -- latest files, report-card layout: legacy EIF graded inspection
    select "Inspection number of latest OEIF graded inspection" as inspection_number,
           "URN at time of latest OEIF graded inspection" as urn_at_time, "URN" as school_urn, 'grades_1_to_4' as layout,
           "Inspection start date of latest OEIF graded inspection" as start_raw,
           "Publication date of latest OEIF graded inspection" as publication_raw,
           "Inspection type of latest OEIF graded inspection" as inspection_type,
           "Inspection type grouping of latest OEIF graded inspection" as type_grouping,
           "Event type grouping of latest OEIF graded inspection" as event_grouping,
           "Latest OEIF overall effectiveness" as overall_raw, "Latest OEIF category of concern" as category_raw,
           "Latest OEIF quality of education" as quality_of_education_raw,
           "Latest OEIF behaviour and attitudes" as behaviour_raw,
           "Latest OEIF personal development" as personal_development_raw,
           "Latest OEIF effectiveness of leadership and management" as leadership_raw,
           "Latest OEIF  safeguarding is effective?" as safeguarding_raw,
           "Latest OEIF early years provision (where applicable)" as early_years_raw,
           "Latest OEIF sixth form provision (where applicable)" as sixth_form_raw,
           'legacy_eif_graded' as source_block, 3 as priority, _snapshot_date, _source_file, _row_number
    from latest_r3
    union all by name
    -- official statistics (Common Inspection Framework): latest, the predecessor's when the
    -- school has not been inspected in its current form
    select "Inspection number" as inspection_number, "URN" as school_urn,
           nullif(nullif("Predecessor URN", ''), 'NULL') as predecessor_urn, "Provider open date - QA" as opened_raw,
           'grades_1_to_4' as layout, "Inspection start date" as start_raw, "Publication date" as publication_raw,
           "Inspection type" as inspection_type, "Inspection type grouping" as type_grouping,
           "Event type grouping" as event_grouping, "Overall effectiveness" as overall_raw, "Category of concern" as category_raw,
           "Outcomes for pupils" as outcomes_for_pupils_raw,
           "Quality of teaching, learning and assessment" as teaching_raw,
           "Effectiveness of leadership and management" as leadership_raw,
           "Personal development, behaviour and welfare" as personal_development_raw,
           "Early years provision (where applicable)" as early_years_raw, "16 - 19 study programmes" as sixth_form_raw,
           'official_latest' as source_block, 5 as priority, _snapshot_date, _source_file, _row_number
    from raw.ofsted_official_stats
    union all by name
    select "Previous inspection number" as inspection_number, "URN" as school_urn,
           nullif(nullif("Predecessor URN", ''), 'NULL') as predecessor_urn, "Provider open date - QA" as opened_raw,
           'grades_1_to_4' as layout,
           "Previous inspection start date" as start_raw, "Previous publication date" as publication_raw,
           "Previous overall effectiveness" as overall_raw, "Previous category of concern" as category_raw,
           "Previous outcomes for pupils" as outcomes_for_pupils_raw,
           "Previous quality of teaching, learning and assessment" as teaching_raw,
           "Previous effectiveness of leadership and management" as leadership_raw,
           "Previous personal development, behaviour and welfare" as personal_development_raw,
           "Previous early years provision (where applicable)" as early_years_raw,
           "Previous 16 - 19 study programmes" as sixth_form_raw,
           'official_previous' as source_block, 6 as priority, _snapshot_date, _source_file, _row_number
    from raw.ofsted_official_stats
),
attributed as (
    select * exclude (urn_at_inspection, attribution_rule, urn_at_time, predecessor_urn, opened_raw),
        case when attribution_rule is not null then urn_at_inspection
             when source_block like 'official%' then
                 case when predecessor_urn is not null
                           and try_strptime(nullif(start_raw, 'NULL'), '%d/%m/%Y')
                               < try_strptime(nullif(opened_raw, 'NULL'), '%d/%m/%Y')
                      then predecessor_urn else school_urn end
             else coalesce(nullif(nullif(trim(urn_at_time), ''), 'NULL'), school_urn) end as urn_at_inspection,
        case when attribution_rule is not null then attribution_rule
             when source_block like 'official%' then
                 case when predecessor_urn is null then 'official_stats_no_predecessor'
                      when try_strptime(nullif(start_raw, 'NULL'), '%d/%m/%Y')
                           < try_strptime(nullif(opened_raw, 'NULL'), '%d/%m/%Y')
                          then 'official_stats_predecessor_by_open_date'
                      -- no usable open date: the file's own claim that a predecessor exists cannot be
                      -- checked, so the row's URN (the school listed) keeps the inspection
                      when try_strptime(nullif(opened_raw, 'NULL'), '%d/%m/%Y') is null then 'official_stats_no_open_date'
                      else 'official_stats_own_by_open_date' end
             when nullif(nullif(trim(urn_at_time), ''), 'NULL') is null then 'mi_row_urn'
             else 'mi_urn_at_time' end as attribution_rule
    from observations
)
select
    trim(inspection_number) as inspection_number,
    try_cast(urn_at_inspection as integer) as urn_at_inspection,
    try_cast(school_urn as integer) as school_urn,
    * exclude (inspection_number, urn_at_inspection, school_urn, _snapshot_date, _source_file, _row_number),
    _snapshot_date as snapshot_date,
    _source_file as source_file,
    _row_number as source_row
from attributed
where inspection_number is not null and trim(inspection_number) not in ('', 'NULL')
