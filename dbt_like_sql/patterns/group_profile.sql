-- patterns.group_profile: what a row is, its columns and its checks are in group_profile.yml beside this file.
with reference as (
    select max(valid_from) as today from core.schools
),
members as (
    select * from patterns.school_evidence where view = 'own_judgements'
),
by_region as (
    select group_key, region, count(*) as schools from members group by all
),
main_region as (
    select group_key, region from by_region
    qualify row_number() over (partition by group_key order by schools desc, region) = 1
),
spells as (
    select m.group_key, m.urn,
           case when m.start_date_known then m.valid_from end as known_from,
           m.valid_to
    from core.group_memberships m
),
members_then as (
    select s.group_key,
           count(distinct s.urn) filter (where (s.known_from is null or s.known_from <= r.today - interval 1 year)
                                           and (s.valid_to is null or s.valid_to > r.today - interval 1 year)) as schools_1y_ago,
           count(distinct s.urn) filter (where (s.known_from is null or s.known_from <= r.today - interval 3 year)
                                           and (s.valid_to is null or s.valid_to > r.today - interval 3 year)) as schools_3y_ago,
           count(distinct s.urn) filter (where (s.known_from is null or s.known_from <= r.today - interval 5 year)
                                           and (s.valid_to is null or s.valid_to > r.today - interval 5 year)) as schools_5y_ago,
           count(distinct s.urn) filter (where s.known_from is null and s.valid_to is null) as schools_with_unknown_join_date,
           min(s.known_from) as earliest_join
    from spells s cross join reference r
    group by all
),
profile as (
    select
        group_key,
        count(*) as schools,
        sum(pupils)::bigint as pupils,
        count(*) filter (where phase_group = 'primary') as primary_schools,
        count(*) filter (where phase_group = 'secondary') as secondary_schools,
        count(*) filter (where phase_group = 'all_through') as all_through_schools,
        count(*) filter (where phase_group = 'nursery') as nursery_schools,
        count(*) filter (where phase_group = 'special') as special_schools,
        count(*) filter (where phase_group = 'alternative_provision') as ap_schools,
        count(*) filter (where phase_group = 'other') as other_phase_schools,
        count(*) filter (where is_mainstream) as mainstream_schools,
        count(*) filter (where establishment_group = 'academy') as academies,
        count(*) filter (where establishment_group = 'free_school') as free_schools,
        count(*) filter (where establishment_group = 'la_maintained') as la_maintained_schools,
        count(*) filter (where how_joined = 'converter') as converter_schools,
        count(*) filter (where how_joined = 'sponsored') as sponsored_schools,
        count(*) filter (where how_joined = 'free_school') as free_school_joiners,
        count(*) filter (where how_joined = 'transfer') as transferred_in_schools,
        count(*) filter (where how_joined = 'founding') as founding_schools,
        count(distinct region) as regions_spanned,
        count(distinct la_code) as las_spanned,
        median(fsm_percent) as fsm_percent_median,
        sum(fsm_percent * pupils) / nullif(sum(pupils) filter (where fsm_percent is not null), 0) as fsm_percent_pupil_weighted,
        median(years_in_group) as median_years_in_group
    from members
    group by group_key
)
select
    p.group_key, g.group_name, g.display_name, g.group_kind, g.is_responsible_body, g.group_uid, g.la_code, g.status,
    p.* exclude (group_key),
    r.region as main_region,
    coalesce(g.open_date, t.earliest_join) as group_opened,
    round(date_diff('day', coalesce(g.open_date, t.earliest_join), ref.today) / 365.25, 1) as group_age_years,
    t.schools_1y_ago, t.schools_3y_ago, t.schools_5y_ago,
    p.schools - t.schools_1y_ago as growth_1y,
    p.schools - t.schools_3y_ago as growth_3y,
    p.schools - t.schools_5y_ago as growth_5y,
    t.schools_with_unknown_join_date,
    ref.today as as_at,
    settings_config_id() as config_id
from profile p
join core.groups g on g.group_key = p.group_key
cross join reference ref
left join main_region r on r.group_key = p.group_key
left join members_then t on t.group_key = p.group_key
