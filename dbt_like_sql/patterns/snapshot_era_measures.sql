-- patterns.snapshot_era_measures: what a row is, its columns and its checks are in snapshot_era_measures.yml beside this file.
select j.as_at, j.source_family, j.urn, j.view, m.reporting_era, m.measure, m.outcome
from patterns.snapshot_judgements j
join core.judgement_measures m on m.inspection_number = j.inspection_number
join staging.ofsted_reporting_eras r on r.reporting_era = m.reporting_era
where j.as_at >= r.first_inspection and (r.reported_until is null or j.as_at <= r.reported_until)
