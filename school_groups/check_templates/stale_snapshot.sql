-- The `freshness: <threshold>` check of a raw table's spec: specs.py fills in the source and the
-- threshold's name; the threshold's value and the reference date are filled in when the check runs.
-- (or_newer_from: a series another source replaced counts as fresh while that one is.)
-- One row when the source's newest loaded snapshot is older than the threshold at the reference date:
-- today for downloads, an offline mirror's own date (its newest file) for a mirror or the sample.
select max(snapshot_date) as newest, {{reference_label}} as reference, {{reference_date}} as reference_date,
       {{reference_date}} - max(snapshot_date) as age_days, cast({{{limit}}} as integer) as limit_days
from raw.source_files
where status = 'loaded' and source in ({sources})
having {{reference_date}} - max(snapshot_date) > {{{limit}}}
