-- One row per school Ofsted lists on a snapshot date x view x measure of the reporting era
-- its counted judgement (patterns.snapshot_judgements) belongs to: the outcome on that era's
-- own scale (core.judgement_measures). Key: (as_at, source_family, urn, view, measure). A
-- measure is only given for dates its era is reported on (staging.ofsted_reporting_eras:
-- overall effectiveness ends on 31 Aug 2024, the last date Ofsted published it), so no
-- figure after that date rests on an overall-effectiveness share, and none is computed from
-- 2024/25 key judgements or report cards.
select j.as_at, j.source_family, j.urn, j.view, m.reporting_era, m.measure, m.outcome
from patterns.snapshot_judgements j
join core.judgement_measures m on m.inspection_number = j.inspection_number
join staging.ofsted_reporting_eras r on r.reporting_era = m.reporting_era
where j.as_at >= r.first_inspection and (r.reported_until is null or j.as_at <= r.reported_until)
