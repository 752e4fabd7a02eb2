-- One row per school listed in an Ofsted latest-inspections (MI) or official-statistics file:
-- the state-funded schools Ofsted counts on that date, with the geography and phase the file
-- gives. Key: (snapshot_date, source_family, urn). la_code is the first three digits of
-- LAESTAB; ofsted_phase is 'Ofsted phase' (MI) or 'Phase of education' (official
-- statistics). A URN listed twice in one file keeps its first row (duplicate_rows says how
-- many rows it had, so nothing disappears unseen); an unparseable URN is kept with urn NULL.
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
