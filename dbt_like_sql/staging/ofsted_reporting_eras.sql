-- staging.ofsted_reporting_eras: what a row is, its columns and its checks are in ofsted_reporting_eras.yml beside this file.
select reporting_era, sort_order, label, first_inspection::date as first_inspection,
       reported_until::date as reported_until, measures, outcome_counted, break_reason
from (values
    ('overall_effectiveness', 1, 'Overall effectiveness (to 31 Aug 2024)', '2005-09-01', '2024-08-31',
     ['overall_effectiveness'], 'good_or_outstanding',
     'From September 2024 Ofsted stopped giving an overall effectiveness grade, so the share of schools judged good or outstanding overall ends on 31 August 2024.'),
    ('key_judgements', 2, 'Key judgements (Sept 2024 - Nov 2025)', '2024-09-01', null,
     ['quality_of_education', 'behaviour_and_attitudes', 'personal_development', 'leadership_and_management'],
     'good_or_outstanding',
     'Inspections from September 2024 to 9 November 2025 graded each key judgement but gave no overall grade; Ofsted publishes a good-or-outstanding share for each key judgement, so these lines start in September 2024.'),
    ('report_card', 3, 'Report cards (from 10 Nov 2025)', '2025-11-10', null,
     ['inclusion', 'curriculum_and_teaching', 'achievement', 'attendance_and_behaviour',
      'personal_development_and_wellbeing', 'leadership_and_governance', 'safeguarding_standards'],
     'each grade on the five-point scale',
     'From 10 November 2025 report cards grade each evaluation area on a five-point scale that Ofsted says cannot be compared with earlier grades, so report-card lines start afresh.')
) as t(reporting_era, sort_order, label, first_inspection, reported_until, measures, outcome_counted, break_reason)
