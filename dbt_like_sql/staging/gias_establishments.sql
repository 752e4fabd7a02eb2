-- staging.gias_establishments: what a row is, its columns and its checks are in gias_establishments.yml beside this file.
select
    try_cast("URN" as integer) as urn,
    "EstablishmentName" as establishment_name,
    "LA (code)" as la_code,
    "LA (name)" as la_name,
    nullif("EstablishmentNumber", '') as establishment_number,
    lpad("TypeOfEstablishment (code)", 2, '0') as type_code,
    "TypeOfEstablishment (name)" as type_name,
    "EstablishmentTypeGroup (code)" as type_group_code,
    "EstablishmentTypeGroup (name)" as type_group_name,
    "EstablishmentStatus (name)" as status,
    case when "OpenDate" in ('', '01-01-1900') then null
         else try_strptime("OpenDate", '%d-%m-%Y')::date end as open_date,
    "OpenDate" as open_date_raw,
    "ReasonEstablishmentOpened (name)" as reason_opened,
    try_strptime(nullif("CloseDate", ''), '%d-%m-%Y')::date as close_date,
    "ReasonEstablishmentClosed (name)" as reason_closed,
    case when trim("PhaseOfEducation (name)") in ('', 'Not applicable', 'Does not apply', 'Not recorded') then null
         else "PhaseOfEducation (name)" end as phase,
    parse_count("StatutoryLowAge") as statutory_low_age,
    parse_count("StatutoryHighAge") as statutory_high_age,
    parse_count("NumberOfPupils") as pupils,
    parse_count("SchoolCapacity") as capacity,
    parse_decimal("PercentageFSM") as fsm_percent,
    case when trim("ReligiousCharacter (name)") in ('', 'Not applicable', 'Does not apply', 'Not recorded') then null
         else "ReligiousCharacter (name)" end as religious_character,
    case when trim("Diocese (name)") in ('', 'Not applicable', 'Does not apply', 'Not recorded') then null
         else "Diocese (name)" end as diocese,
    nullif(nullif("TrustSchoolFlag (name)", ''), 'Not applicable') as trust_flag,
    try_cast(nullif("Trusts (code)", '') as integer) as trust_uid,
    case "TrustSchoolFlag (name)" when 'Supported by a multi-academy trust' then '06'
                                  when 'Supported by a single-academy trust' then '10'
                                  when 'Supported by a trust' then '02' end as trust_type_code,
    nullif("Trusts (name)", '') as trust_name,
    try_cast(nullif("Federations (code)", '') as integer) as federation_uid,
    nullif("Federations (name)", '') as federation_name,
    nullif("SchoolSponsors (name)", '') as sponsor_name,
    "GOR (code)" as region_code,
    "GOR (name)" as region,
    _snapshot_date as snapshot_date,
    _source_file as source_file,
    _row_number as source_row
from raw.gias_establishments r
where not exists (select 1 from quarantine.gias_establishments q
                  where q.source_file = r._source_file and q.source_row = r._row_number)
