-- One row per Ofsted inspection framework era for state-funded schools, with the dates it
-- applied (inspection start date on or after starts_on and before ends_before) and the
-- reporting era whose scale its judgements are published on. Key: era.
-- Sources: Ofsted handbooks and MI_FORMATS.md (EIF from Sept 2019; no overall
-- effectiveness grade from Sept 2024; report cards from 10 Nov 2025). Judgements are never
-- put on one scale across reporting eras (staging.ofsted_reporting_eras).
select era, starts_on::date as starts_on, ends_before::date as ends_before, has_overall_grade, reporting_era,
       description
from (values
    ('pre_2015', '2005-09-01', '2015-09-01', true, 'overall_effectiveness',
     'Section 5 frameworks 2005-2015 (satisfactory until 2012)'),
    ('cif', '2015-09-01', '2019-09-01', true, 'overall_effectiveness', 'Common Inspection Framework'),
    ('eif', '2019-09-01', '2024-09-01', true, 'overall_effectiveness',
     'Education Inspection Framework, graded 1-4 with overall effectiveness'),
    ('eif_no_overall', '2024-09-01', '2025-11-10', false, 'key_judgements',
     'EIF without an overall effectiveness grade: four key judgements graded 1-4'),
    ('report_card', '2025-11-10', '9999-12-31', false, 'report_card',
     'Renewed framework: report cards, each evaluation area on a five-point scale')
) as t(era, starts_on, ends_before, has_overall_grade, reporting_era, description)
