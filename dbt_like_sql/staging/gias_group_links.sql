-- staging.gias_group_links: what a row is, its columns and its checks are in gias_group_links.yml beside this file.
with links as (
    select "URN" as urn_raw, "Group UID" as uid_raw, "Group Name" as group_name,
           "Group Type (code)" as type_code, "Group Type" as group_type, "Joined date" as joined_raw,
           "Companies House Number" as companies_house_number,
           _snapshot_date, _source_file, _row_number, 1 as preference
    from raw.gias_group_links
    union all
    select "URN", "Linked UID", "Group Name", "Group Type (code)", "Group Type", "Joined date",
           "Companies House Number", _snapshot_date, _source_file, _row_number, 2
    from raw.gias_academy_trust_links
)
select
    try_cast(urn_raw as integer) as urn,
    try_cast(uid_raw as integer) as group_uid,
    group_name,
    lpad(type_code, 2, '0') as group_type_code,
    group_type,
    companies_house(companies_house_number) as companies_house_number,
    coalesce(try_strptime(nullif(joined_raw, ''), '%d/%m/%Y'),
             try_strptime(nullif(joined_raw, ''), '%d-%m-%Y'))::date as joined_date,
    joined_raw,
    _snapshot_date as snapshot_date,
    _source_file as source_file,
    _row_number as source_row
from links
qualify row_number() over (partition by urn_raw, uid_raw, _snapshot_date order by preference, _row_number) = 1
