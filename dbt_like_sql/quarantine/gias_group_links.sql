-- quarantine.gias_group_links: what a row is, its columns and its checks are in gias_group_links.yml beside this file.
select
    l.*,
    case when l.urn is null then 'urn_not_a_number' else 'orphan_link' end as rule,
    case when l.urn is null then 'URN field does not parse as a number'
         else 'URN ' || l.urn || ' is in no edubasealldata snapshot' end as reason
from staging.gias_group_links l
where l.urn is null
   or not exists (select 1 from staging.gias_establishments e where e.urn = l.urn)
