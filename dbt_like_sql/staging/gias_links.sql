-- staging.gias_links: what a row is, its columns and its checks are in gias_links.yml beside this file.
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
