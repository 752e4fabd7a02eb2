-- staging.ofsted_ungraded_outcomes: what a row is, its columns and its checks are in ofsted_ungraded_outcomes.yml beside this file.
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
