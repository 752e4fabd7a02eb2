-- The system over time: one row per as-at snapshot x source family x responsible-body kind x
-- phase x region x view, back through every Ofsted snapshot loaded. Key: (as_at,
-- source_family, group_kind, phase, region, view). From patterns.snapshot_judgements: schools
-- Ofsted listed, how many had a graded or report-card judgement in the view, counts in each
-- band, share good or better of those judged (strong + secure), evidence age and the share
-- stale, and how many distinct responsible bodies the schools belonged to. Counts are not
-- suppressed: these are system totals.
select
    as_at, source_family, body_kind as group_kind, phase_group as phase, coalesce(region, 'Unknown') as region, view,
    count(*) as schools,
    count(outcome_band) as schools_graded,
    count(*) filter (where outcome_band = 'strong') as n_strong,
    count(*) filter (where outcome_band = 'secure') as n_secure,
    count(*) filter (where outcome_band = 'improvement_needed') as n_improvement_needed,
    count(*) filter (where outcome_band = 'serious_concern') as n_serious_concern,
    count(*) filter (where good_or_better) / nullif(count(outcome_band), 0) as share_good_or_better,
    count(*) filter (where weak) / nullif(count(outcome_band), 0) as share_weak,
    median(evidence_age_years) as evidence_age_median_years,
    count(*) filter (where is_stale) / nullif(count(outcome_band), 0) as share_stale,
    count(distinct body_key) filter (where body_key <> 'none') as groups,
    (select any_value(config_id) from meta.settings) as config_id
from patterns.snapshot_judgements
group by all
