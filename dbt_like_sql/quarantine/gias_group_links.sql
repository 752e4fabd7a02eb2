-- quarantine.gias_group_links: what a row is, its columns and its checks are in gias_group_links.yml beside this file.
with responsible as (
    -- school-to-trust links of one snapshot naming more than one responsible body for the same school:
    -- GIAS contradicts itself, and reading both would invent a transfer between them
    select l.urn, l.snapshot_date, string_agg(distinct l.group_uid::varchar, ', ' order by l.group_uid::varchar) as uids
    from staging.gias_group_links l
    join staging.gias_group_types t on t.group_type_code = l.group_type_code and t.is_responsible_body
    where l.urn is not null
    group by all
    having count(distinct l.group_uid) > 1
)
select
    l.*,
    case when l.urn is null then 'urn_not_a_number'
         when not exists (select 1 from staging.gias_establishments e where e.urn = l.urn) then 'orphan_link'
         else 'two_responsible_bodies' end as rule,
    case when l.urn is null then 'URN field does not parse as a number'
         when not exists (select 1 from staging.gias_establishments e where e.urn = l.urn)
             then 'URN ' || l.urn || ' is in no edubasealldata snapshot'
         else 'URN ' || l.urn || ' is linked to more than one responsible body (Group UIDs ' || c.uids
              || ') in the snapshot of ' || l.snapshot_date || '; neither link is used' end as reason
from staging.gias_group_links l
left join responsible c on c.urn = l.urn and c.snapshot_date = l.snapshot_date
    and exists (select 1 from staging.gias_group_types t where t.group_type_code = l.group_type_code
                and t.is_responsible_body)
where l.urn is null
   or not exists (select 1 from staging.gias_establishments e where e.urn = l.urn)
   or c.urn is not null
