-- staging.gias_group_types: what a row is, its columns and its checks are in gias_group_types.yml beside this file.
select * from (values
    ('01', 'Federation', 'federation', false),
    ('02', 'Trust', 'trust', false),
    ('05', 'School sponsor', 'school_sponsor', false),
    ('06', 'Multi-academy trust', 'multi_academy_trust', true),
    ('07', 'Umbrella trust', 'umbrella_trust', false),
    ('08', 'Children''s centres group', 'childrens_centres_group', false),
    ('09', 'Children''s centres collaboration', 'childrens_centres_collaboration', false),
    ('10', 'Single-academy trust', 'single_academy_trust', true),
    ('11', 'Secure single-academy trust', 'secure_single_academy_trust', true)
) as t(group_type_code, group_type, group_kind, is_responsible_body)
