-- How recent and of which era the evidence is, over time: one row per as-at snapshot x
-- source family x responsible-body kind x phase x region x view. Key: (as_at, source_family,
-- group_kind, phase, region, view). Two recency measures side by side: the age of the
-- counted judgement (graded or report card) and the age of the latest evidence of any kind
-- (graded, ungraded or report card); share_stale is of all schools listed: no evidence of any
-- kind within stale_after_years (schools with no evidence at all are counted apart).
-- schools_latest_judgement_<era> and schools_latest_evidence_<era> count schools whose
-- latest judgement / evidence falls in each reporting era (Ofsted: "60% graded under the EIF,
-- 98% graded or ungraded").
select
    j.as_at, j.source_family, j.body_kind as group_kind, j.phase_group as phase, coalesce(j.region, 'Unknown') as region,
    j.view,
    count(*) as schools,
    count(j.inspection_number) as schools_judged,
    count(j.latest_evidence_inspection_number) as schools_with_evidence,
    count(*) filter (where j.latest_evidence_inspection_number is null) as schools_without_evidence,
    median(j.judgement_age_years) as judgement_age_median_years,
    median(j.evidence_age_years) as evidence_age_median_years,
    count(*) filter (where j.is_stale) / count(*) as share_stale,
    count(*) filter (where j.reporting_era = 'overall_effectiveness') as schools_latest_judgement_overall_effectiveness,
    count(*) filter (where j.reporting_era = 'key_judgements') as schools_latest_judgement_key_judgements,
    count(*) filter (where j.reporting_era = 'report_card') as schools_latest_judgement_report_card,
    count(*) filter (where e.reporting_era = 'overall_effectiveness') as schools_latest_evidence_overall_effectiveness,
    count(*) filter (where e.reporting_era = 'key_judgements') as schools_latest_evidence_key_judgements,
    count(*) filter (where e.reporting_era = 'report_card') as schools_latest_evidence_report_card,
    count(distinct j.body_key) filter (where j.body_key <> 'none') as groups,
    (select any_value(config_id) from meta.settings) as config_id
from patterns.snapshot_judgements j
left join staging.ofsted_framework_eras e on e.era = j.latest_evidence_era
group by all
