-- staging.ofsted_outcome_bands: what a row is, its columns and its checks are in ofsted_outcome_bands.yml beside this file.
select 'cross-era-v2' as mapping_version, scale, value, band, concerns
from (values
    ('overall', '1', 'strong', false), ('overall', '2', 'secure', false),
    ('overall', '3', 'improvement_needed', false), ('overall', '4', 'serious_concern', false),
    ('report_card', 'Exceptional', 'strong', false), ('report_card', 'Strong standard', 'secure', false),
    ('report_card', 'Expected standard', 'secure', false), ('report_card', 'Needs attention', 'secure', true),
    ('report_card', 'Urgent improvement', 'improvement_needed', true),
    ('standing', 'Outstanding', 'strong', false), ('standing', 'Good', 'secure', false),
    ('standing', 'Requires improvement', 'improvement_needed', false),
    ('standing', 'Inadequate', 'serious_concern', false)
) as t(scale, value, band, concerns)
