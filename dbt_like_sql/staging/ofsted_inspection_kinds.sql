-- One row per kind of inspection: the closed list. Key: inspection_kind. core.inspections sets the
-- kind from the published type fields (Inspection type, Inspection type grouping, Event type
-- grouping) and the file block, never from whether a grade column is filled. Only graded
-- inspections and report cards are judgements; ungraded inspections are evidence that
-- confirm (or question) a standing; monitoring and urgent visits are evidence without a
-- grade. Source: Ofsted MI methodology notes and the type values in the real files.
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
