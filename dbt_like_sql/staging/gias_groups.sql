-- staging.gias_groups: what a row is, its columns and its checks are in gias_groups.yml beside this file.
with latest as (
    select *
    from raw.gias_groups
    where _snapshot_date = (select max(_snapshot_date) from raw.gias_groups)
)
select
    try_cast(g."Group UID" as integer) as group_uid,
    nullif(g."Group ID", '') as group_id,
    g."Group Name" as group_name,
    companies_house(g."Companies House Number") as companies_house_number,
    regexp_full_match(trim(g."Companies House Number"), '[0-9]{1,7}') as companies_house_number_repaired,
    lpad(g."Group Type (code)", 2, '0') as group_type_code,
    g."Group Type" as group_type,
    coalesce(k.group_kind, 'other') as group_kind,
    lower(g."Group Status") as status,
    coalesce(try_strptime(nullif(g."Incorporated on (open date)", ''), '%d/%m/%Y'),
             try_strptime(nullif(g."Open date", ''), '%d/%m/%Y'))::date as open_date,
    try_strptime(nullif(g."Closed Date", ''), '%d/%m/%Y')::date as closed_date,
    nullif(g."UKPRN", '') as ukprn,
    g._snapshot_date as snapshot_date,
    g._source_file as source_file,
    g._row_number as source_row
from latest g
left join staging.gias_group_types k on k.group_type_code = lpad(g."Group Type (code)", 2, '0')
qualify row_number() over (partition by g."Group UID" order by g._row_number) = 1
