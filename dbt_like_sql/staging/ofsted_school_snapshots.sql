-- staging.ofsted_school_snapshots: what a row is, its columns and its checks are in ofsted_school_snapshots.yml beside this file.
with listed as (
    select _snapshot_date as snapshot_date, 'mi_latest' as source_family, try_cast("URN" as integer) as urn,
           "URN" as urn_raw, left(nullif("LAESTAB", 'NULL'), 3) as la_code, "Local authority" as la_name,
           "Region" as region, "Ofsted phase" as ofsted_phase, "Type of education" as type_of_education,
           _source_file as source_file, _row_number as source_row
    from raw.ofsted_mi_latest
    union all
    select _snapshot_date, 'official_statistics', try_cast("URN" as integer), "URN", left(nullif("LAESTAB", 'NULL'), 3),
           "Local authority", "Region", "Phase of education", "Type of education", _source_file, _row_number
    from raw.ofsted_official_stats
)
select *, count(*) over (partition by snapshot_date, source_family, coalesce(urn::varchar, urn_raw)) as duplicate_rows
from listed
qualify row_number() over (partition by snapshot_date, source_family, coalesce(urn::varchar, urn_raw)
                           order by source_row) = 1
