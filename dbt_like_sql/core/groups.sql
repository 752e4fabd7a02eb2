-- core.groups: what a row is, its columns and its checks are in groups.yml beside this file.
with described as (
    select group_uid, group_name, group_type_code, companies_house_number, status, open_date, closed_date,
           snapshot_date, 1 as preference
    from staging.gias_groups
    union all
    select group_uid, group_name, group_type_code, companies_house_number, 'open', null, null, snapshot_date, 2
    from staging.gias_group_links
    union all
    select trust_uid, trust_name, trust_type_code, null, 'open', null, null, snapshot_date, 3
    from staging.gias_establishments where trust_uid is not null
    union all
    select federation_uid, federation_name, '01', null, 'open', null, null, snapshot_date, 3
    from staging.gias_establishments where federation_uid is not null
),
gias as (
    select * from described
    qualify row_number() over (partition by group_uid order by preference, snapshot_date desc, group_name) = 1
),
latest_schools as (
    select * from staging.gias_establishments
    where snapshot_date = (select max(snapshot_date) from staging.gias_establishments)
),
member_regions as (
    select l.group_uid, s.region, count(*) as schools
    from staging.gias_group_links l
    join latest_schools s on s.urn = l.urn
    where l.snapshot_date = (select max(snapshot_date) from staging.gias_group_links)
    group by all
),
group_region as (
    select group_uid, region from member_regions
    qualify row_number() over (partition by group_uid order by schools desc, region) = 1
),
la_regions as (
    select la_code, la_name, region, count(*) as schools, max(snapshot_date) as seen
    from staging.gias_establishments
    where la_code not in ('0', '000', '') and region_code <> 'Z'
    group by la_code, la_name, region
),
las as (
    -- every LA any snapshot names; its latest name, and the region most of its schools are in
    select * from la_regions
    qualify row_number() over (partition by la_code order by seen desc, schools desc, region, la_name) = 1
),
keyed as (
select
    'gias:' || g.group_uid as group_key,
    g.group_uid,
    null::varchar as la_code,
    g.group_name,
    coalesce(t.group_kind, 'other') as group_kind,
    coalesce(t.is_responsible_body, false) as is_responsible_body,
    g.group_type_code,
    g.status,
    g.open_date,
    g.closed_date,
    g.companies_house_number,
    r.region,
    g.snapshot_date as described_at
from gias g
left join staging.gias_group_types t on t.group_type_code = g.group_type_code
left join group_region r on r.group_uid = g.group_uid
union all
select
    'la:' || la_code, null, la_code, la_name, 'local_authority', true, null, 'open', null, null, null, region,
    (select max(snapshot_date) from staging.gias_establishments)
from las
),
named as (
    -- a name alone is not a key (hundreds are shared): add the kind and the area, which readers know
    select *, group_name || ' (' || group_kind_name(group_kind)
              || case when group_kind = 'local_authority' then '' else ', ' || coalesce(region, 'region unknown') end
              || ')' as kind_and_area_name
    from keyed
)
select * exclude (kind_and_area_name),
       -- still shared (same name, kind and region): the GIAS UID settles it
       case when count(*) over (partition by kind_and_area_name) > 1
            then kind_and_area_name || ' [UID ' || coalesce(group_uid::varchar, la_code) || ']'
            else kind_and_area_name end as display_name
from named
