-- staging.ofsted_inspection_kinds: what a row is, its columns and its checks are in ofsted_inspection_kinds.yml beside this file.
select inspection_kind, is_judgement, is_recency_evidence, description
from (values
    ('graded', true, true,
     'Section 5 inspection, or a section 8 inspection deemed or converted to section 5: grades 1-4'),
    ('report_card', true, true, 'Renewed-framework inspection from 10 Nov 2025: a report card'),
    ('ungraded', false, true,
     'Ungraded (section 8) inspection of a good or outstanding school: confirms or questions its standing'),
    ('monitoring', false, false,
     'Monitoring visit of a school judged requires improvement or in a category of concern: no grade'),
    ('urgent_no_formal_designation', false, false,
     'Urgent inspection without formal designation (section 8), not deemed section 5: no grade'),
    ('other', false, false, 'A type this pipeline does not recognise: kept visible, never counted as a judgement')
) as t(inspection_kind, is_judgement, is_recency_evidence, description)
