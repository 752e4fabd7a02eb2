-- One row per establishment link in the latest GIAS links snapshot: a URN, a linked URN and
-- the kind of link. Key: (urn, link_urn, link_type). GIAS lists both directions (A
-- "Successor" B and B "Predecessor" A); both are kept. Dates are dd-mm-yyyy; an empty date
-- is NULL. Duplicate keys within a snapshot (none in 2025) keep the first row as published.
-- LinkName is the linked establishment's current name, so it is not part of the key.
with latest as (
    select *
    from raw.gias_links
    where _snapshot_date = (select max(_snapshot_date) from raw.gias_links)
)
select
    try_cast("URN" as integer) as urn,
    try_cast("LinkURN" as integer) as link_urn,
    trim("LinkType") as link_type,
    nullif(trim("LinkName"), '') as link_name,
    try_strptime(nullif("LinkEstablishedDate", ''), '%d-%m-%Y')::date as link_established_date,
    "LinkEstablishedDate" as link_established_date_raw,
    _snapshot_date as snapshot_date,
    _source_file as source_file,
    _row_number as source_row
from latest
qualify row_number() over (partition by "URN", "LinkURN", trim("LinkType") order by _row_number) = 1
