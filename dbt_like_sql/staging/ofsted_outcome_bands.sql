-- The cross-era summary band, a named convention and never the default view: one row per
-- published value and the band it is summarised as. Key: (mapping_version, scale, value).
-- Every published figure is computed within its reporting era on the era's own scale
-- (staging.ofsted_reporting_eras); the band only lets group-level patterns (spread, weak
-- joiners, signals) be read across eras, and says so in every table that uses it
-- (pipelines/thresholds.toml, key cross_era_band, documents it). Bands: strong, secure,
-- improvement_needed, serious_concern. Scales: overall (grades 1-4; in 2024/25 the worst key
-- judgement), report_card (the worst evaluation area; "needs attention" is not a fail, as
-- Ofsted says, so it stays secure and is flagged as a concern), standing (the standing an
-- ungraded inspection confirms). A category of concern is always serious_concern.
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
