-- patterns.school_attributes: what a row is, its columns and its checks are in school_attributes.yml beside this file.
select
    urn, lineage_id, establishment_name, phase, establishment_group,
    case when establishment_group = 'special' then 'special'
         when establishment_group = 'alternative_provision' then 'alternative_provision'
         when phase in ('Primary', 'Middle deemed primary') then 'primary'
         when phase in ('Secondary', 'Middle deemed secondary', '16 plus') then 'secondary'
         when phase = 'All-through' then 'all_through'
         when phase = 'Nursery' then 'nursery'
         else 'other' end as phase_group,
    establishment_group not in ('special', 'alternative_provision') as is_mainstream,
    pupils, fsm_percent, region, la_code, la_name, open_date, close_date,
    is_current and is_state_funded and status like 'Open%' as is_open_state_funded
from core.schools
qualify row_number() over (partition by urn order by valid_from desc) = 1
