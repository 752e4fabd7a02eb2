-- staging.ofsted_framework_eras: what a row is, its columns and its checks are in ofsted_framework_eras.yml beside this file.
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
