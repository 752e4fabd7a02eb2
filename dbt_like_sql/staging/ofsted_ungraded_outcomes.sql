-- One row per published outcome text of an ungraded or monitoring inspection (trimmed) and
-- how to read it. Key: value. direction: maintained (standards maintained), improving (may be
-- improving: the next inspection is graded), declining (may be declining: some aspects not as
-- strong, or concerns with a graded inspection next), monitoring (progress of a school in a
-- category or requiring improvement). standing_stated: the standing the text names
-- (Outstanding, Good); NULL when the outcome confirms whatever standing the school's last
-- judgement gave (core.inspections_in_context reads that judgement). maintained_or_improved
-- is Ofsted's 2024/25 measure ("95% of ungraded inspections: standards maintained or
-- improved significantly"). Source: Ofsted MI values (MI_FORMATS.md, section 3).
select value, direction, standing_stated, maintained_or_improved
from (values
    ('School remains Outstanding', 'maintained', 'Outstanding', true),
    ('School remains Good', 'maintained', 'Good', true),
    ('Standards maintained', 'maintained', null, true),
    ('Improved significantly', 'improving', null, true),
    ('Some aspects not as strong', 'declining', null, false),
    ('School remains Good (Improving) - S5 Next', 'improving', 'Good', true),
    ('School remains Good (Concerns) - S5 Next', 'declining', 'Good', false),
    ('School remains Outstanding (Concerns) - S5 Next', 'declining', 'Outstanding', false),
    ('Taking effective action', 'monitoring', null, null),
    ('Taking effective action to tackle the areas requiring improvement', 'monitoring', null, null),
    ('Not taking effective action', 'monitoring', null, null)
) as t(value, direction, standing_stated, maintained_or_improved)
