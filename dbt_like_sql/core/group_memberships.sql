-- core.group_memberships: what a row is, its columns and its checks are in group_memberships.yml beside this file.
with link_obs as (
    select urn, group_uid, group_type_code, joined_date, snapshot_date, 'links' as family
    from staging.gias_group_links l
    where not exists (select 1 from quarantine.gias_group_links q
                      where q.urn is not distinct from l.urn and q.group_uid is not distinct from l.group_uid
                        and q.snapshot_date = l.snapshot_date)
),
establishment_obs as (
    select urn, trust_uid as group_uid, trust_type_code as group_type_code,
           null::date as joined_date, snapshot_date, 'establishments' as family
    from staging.gias_establishments where trust_uid is not null
    union all
    select urn, federation_uid, '01', null::date, snapshot_date, 'establishments'
    from staging.gias_establishments where federation_uid is not null
),
obs as (select * from link_obs union all select * from establishment_obs),
family_snapshots as (select distinct family, snapshot_date from obs
                     union select 'establishments', snapshot_date from staging.gias_establishments),
per_family as (
    select urn, group_uid, family, min(snapshot_date) as first_seen, max(snapshot_date) as last_seen,
           min(joined_date) as joined_date, max(group_type_code) as group_type_code
    from obs group by all
),
ended as (
    select p.*,
           (select min(f.snapshot_date) from family_snapshots f
            where f.family = p.family and f.snapshot_date > p.last_seen) as ended_by
    from per_family p
),
spans as (
    select urn, group_uid,
           min(joined_date) as joined_date,
           min(first_seen) as first_seen,
           case when bool_or(ended_by is null) then null else max(ended_by) end as ended_by,
           coalesce(max(group_type_code) filter (where family = 'links'), max(group_type_code)) as group_type_code
    from ended group by all
),
described as (select group_uid, group_type_code from core.groups where group_uid is not null),
school as (
    select urn, open_date, close_date, type_code, type_group_code, reason_opened, is_la_maintained, la_code
    from core.schools where valid_to is null
),
gias_spells as (
    select
        s.urn,
        'gias:' || s.group_uid as group_key,
        coalesce(t.group_kind, 'other') as group_kind,
        coalesce(t.is_responsible_body, false) as is_responsible_body,
        coalesce(s.joined_date, s.first_seen) as valid_from,
        case when sc.close_date is not null then least(coalesce(s.ended_by, sc.close_date), sc.close_date)
             else s.ended_by end as valid_to,
        case when t.group_kind = 'federation' then 'federated'
             when t.group_kind = 'school_sponsor' then 'linked_sponsor'
             when sc.open_date is not null and coalesce(s.joined_date, s.first_seen) > sc.open_date + interval 31 day
                 then 'transfer'
             when sc.type_group_code = '11' then 'free_school'
             when sc.type_code in ('28', '33', '43', '46') then 'sponsored'
             when sc.type_code in ('34', '42', '44', '45') then 'converter'
             else 'founding' end as how_joined,
        s.joined_date is not null as joined_date_published
    from spans s
    left join described d on d.group_uid = s.group_uid
    left join staging.gias_group_types t on t.group_type_code = coalesce(d.group_type_code, s.group_type_code)
    left join school sc on sc.urn = s.urn
),
la_spells as (
    select urn, 'la:' || la_code, 'local_authority', true, open_date, close_date, 'maintained', false
    from school
    where is_la_maintained and la_code not in ('0', '000', '')
),
spells as (
    select * from gias_spells
    union all
    select * from la_spells
)
select
    urn, group_key, group_kind, is_responsible_body, valid_from,
    case when is_responsible_body
         then least(valid_to, lead(valid_from) over (partition by urn, is_responsible_body
                                                     order by valid_from nulls first, group_key))
         else valid_to end as valid_to,
    how_joined, joined_date_published,
    joined_date_published or how_joined = 'maintained' as start_date_known
from spells
