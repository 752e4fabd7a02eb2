-- patterns.system_evidence: what a row is, its columns and its checks are in system_evidence.yml beside this file.
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
    settings_config_id() as config_id
from patterns.snapshot_judgements j
left join staging.ofsted_framework_eras e on e.era = j.latest_evidence_era
group by all
