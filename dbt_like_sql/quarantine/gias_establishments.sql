-- quarantine.gias_establishments: what a row is, its columns and its checks are in gias_establishments.yml beside this file.
with checked as (
    select
        "URN" as urn_raw, "EstablishmentName" as establishment_name, "OpenDate" as open_date_raw,
        "CloseDate" as close_date_raw, _snapshot_date as snapshot_date, _source_file as source_file,
        _row_number as source_row,
        row_number() over (partition by "URN", _snapshot_date order by _row_number) as copy_number,
        try_strptime(nullif("OpenDate", ''), '%d-%m-%Y')::date as open_date,
        try_strptime(nullif("CloseDate", ''), '%d-%m-%Y')::date as close_date
    from raw.gias_establishments
)
select
    urn_raw, establishment_name, open_date_raw, close_date_raw, snapshot_date, source_file, source_row,
    case when try_cast(urn_raw as integer) is null then 'urn_not_a_number'
         when copy_number > 1 then 'duplicate_key'
         when (open_date_raw <> '' and open_date is null) or (close_date_raw <> '' and close_date is null)
             then 'malformed_date'
         else 'date_in_future' end as rule,
    case when try_cast(urn_raw as integer) is null then 'URN ' || coalesce('"' || urn_raw || '"', 'NULL') || ' is not a number'
         when copy_number > 1 then 'URN ' || urn_raw || ' appears ' || copy_number || ' times in this snapshot; the first row is kept'
         when (open_date_raw <> '' and open_date is null) or (close_date_raw <> '' and close_date is null)
             then 'OpenDate "' || open_date_raw || '" / CloseDate "' || close_date_raw || '" is not dd-mm-yyyy'
         else 'OpenDate "' || open_date_raw || '" / CloseDate "' || close_date_raw || '" is over a year after the snapshot'
    end as reason
from checked
where try_cast(urn_raw as integer) is null
   or copy_number > 1
   or (open_date_raw <> '' and open_date is null) or (close_date_raw <> '' and close_date is null)
   or open_date > snapshot_date + interval 366 day or close_date > snapshot_date + interval 366 day
