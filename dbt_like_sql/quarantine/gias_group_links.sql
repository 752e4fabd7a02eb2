-- One row per school-to-group link set aside (not used for memberships), with the rule it
-- broke and why. Key: (urn, group_uid, snapshot_date). Rules: urn_not_a_number (the URN
-- field does not parse), orphan_link (the URN is in no edubasealldata snapshot, so the school
-- is unknown). The link still describes its group in core.groups; nothing is dropped silently.
select
    l.*,
    case when l.urn is null then 'urn_not_a_number' else 'orphan_link' end as rule,
    case when l.urn is null then 'URN field does not parse as a number'
         else 'URN ' || l.urn || ' is in no edubasealldata snapshot' end as reason
from staging.gias_group_links l
where l.urn is null
   or not exists (select 1 from staging.gias_establishments e where e.urn = l.urn)
