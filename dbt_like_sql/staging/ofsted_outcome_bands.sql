-- One row per published outcome value and the harmonised outcome band it maps to, under a
-- named mapping version. Key: (mapping_version, scale, value). Bands: strong, secure,
-- improvement_needed, serious_concern, not_graded. Scales: overall (grades 1-4, also the
-- worst key judgement when there is no overall grade), report_card (the worst area on the
-- five-point scale), ungraded (section 8 outcome texts, trimmed). concerns marks outcomes
-- that kept a grade but flagged concerns. Later versions are added beside, never edited.
select 'outcome-bands-v1' as mapping_version, scale, value, band, concerns
from (values
    ('overall', '1', 'strong', false), ('overall', '2', 'secure', false),
    ('overall', '3', 'improvement_needed', false), ('overall', '4', 'serious_concern', false),
    ('report_card', 'Exceptional', 'strong', false), ('report_card', 'Strong standard', 'secure', false),
    ('report_card', 'Expected standard', 'secure', false), ('report_card', 'Needs attention', 'improvement_needed', false),
    ('report_card', 'Urgent improvement', 'serious_concern', false),
    ('ungraded', 'School remains Outstanding', 'strong', false),
    ('ungraded', 'School remains Good', 'secure', false),
    ('ungraded', 'Standards maintained', 'secure', false),
    ('ungraded', 'Improved significantly', 'secure', false),
    ('ungraded', 'Some aspects not as strong', 'secure', true),
    ('ungraded', 'School remains Good (Improving) - S5 Next', 'secure', false),
    ('ungraded', 'School remains Good (Concerns) - S5 Next', 'secure', true),
    ('ungraded', 'School remains Outstanding (Concerns) - S5 Next', 'strong', true),
    ('ungraded', 'Taking effective action', 'not_graded', false),
    ('ungraded', 'Taking effective action to tackle the areas requiring improvement', 'not_graded', false),
    ('ungraded', 'Not taking effective action', 'not_graded', true)
) as t(scale, value, band, concerns)
