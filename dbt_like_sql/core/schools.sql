-- core.schools: what a row is, its columns and its checks are in schools.yml beside this file.
with typed as (
    select
        e.*,
        case when type_code in ('14', '38', '42', '43') then 'alternative_provision'
             when type_code in ('07', '12', '33', '36', '44') then 'special'
             when type_group_code = '11' then 'free_school'
             when type_group_code = '10' then 'academy'
             when type_group_code = '4' then 'la_maintained'
             else 'other' end as establishment_group,
        type_group_code in ('10', '11') as is_academy,
        type_group_code = '4' or type_code in ('07', '12') as is_la_maintained,
        type_group_code in ('4', '10', '11') or type_code in ('07', '12') as is_state_funded
    from staging.gias_establishments e
),
hashed as (
    select *,
        md5(concat_ws('|', establishment_name, la_code, type_code, status, open_date, close_date, phase,
                      statutory_low_age, statutory_high_age, pupils, capacity, fsm_percent, religious_character,
                      diocese, trust_uid, federation_uid, sponsor_name, region_code)) as attributes_hash
    from typed
),
latest as (
    select urn from staging.gias_establishments
    where snapshot_date = (select max(snapshot_date) from staging.gias_establishments)
),
versions as (
    select *
    from hashed
    qualify attributes_hash is distinct from lag(attributes_hash) over (partition by urn order by snapshot_date)
)
select
    v.urn,
    l.lineage_id,
    v.snapshot_date as valid_from,
    lead(v.snapshot_date) over (partition by v.urn order by v.snapshot_date) as valid_to,
    lead(v.snapshot_date) over (partition by v.urn order by v.snapshot_date) is null
        and v.urn in (select urn from latest) as is_current,
    v.establishment_name, v.type_code, v.type_name, v.type_group_code, v.type_group_name, v.establishment_group,
    v.is_academy, v.is_la_maintained, v.is_state_funded,
    v.status, v.open_date, v.open_date_raw, v.reason_opened, v.close_date, v.reason_closed,
    v.phase, v.statutory_low_age, v.statutory_high_age, v.pupils, v.capacity, v.fsm_percent,
    v.religious_character, v.diocese, v.la_code, v.la_name, v.region_code, v.region,
    v.trust_flag, v.trust_uid, v.trust_name, v.federation_uid, v.sponsor_name,
    v.source_file, v.source_row
from versions v
left join core.school_lineage l on l.urn = v.urn
