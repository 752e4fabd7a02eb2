-- patterns.group_comparability: what a row is, its columns and its checks are in group_comparability.yml beside this file.
with settings as (
    select setting('eligible_min_schools') as min_schools,
           setting('eligible_min_years_in_group') as min_years,
           case setting('eligibility_ruleset') when 1 then 'dfe' else 'project' end as ruleset

),
academic as (
    -- whole academic years in the group at the start of the current academic year, and whether DfE
    -- counts the school at all
    select e.group_key, e.urn, e.years_in_group, counted_by_dfe(e.is_mainstream, e.phase_group) as counted_by_dfe,
           e.joined_on,
           whole_academic_years(e.joined_on, e.as_at) as full_academic_years
    from patterns.school_evidence e where e.view = 'own_judgements'
),
tenure as (
    select group_key,
           count(*) filter (where years_in_group is null
                               or years_in_group >= (select min_years from settings)) as schools_with_tenure,
           count(*) filter (where counted_by_dfe and full_academic_years >= (select min_years from settings))
               as schools_eligible_dfe,
           count(*) filter (where joined_on is null) as schools_unknown_join_date
    from academic group by all
),
cuts as (
    select quantile_cont(fsm_percent_pupil_weighted, 0.333333333333) as low,
           quantile_cont(fsm_percent_pupil_weighted, 0.666666666667) as high
    from patterns.group_profile
),
banded as (
    select
        p.group_key, p.group_name, p.display_name, p.group_kind, p.is_responsible_body, p.schools, p.pupils,
        case when p.schools = 1 then '1' when p.schools <= 5 then '2-5' when p.schools <= 10 then '6-10'
             when p.schools <= 25 then '11-25' else '26+' end as size_band,
        case when (p.special_schools + p.ap_schools) >= 0.5 * p.schools then 'specialist'
             when (p.primary_schools + p.nursery_schools) >= 0.8 * p.schools then 'primary'
             when (p.secondary_schools + p.all_through_schools) >= 0.8 * p.schools then 'secondary'
             else 'mixed' end as phase_mix,
        (p.special_schools + p.ap_schools) / p.schools as specialist_share,
        case when p.special_schools + p.ap_schools = 0 then 'none'
             when (p.special_schools + p.ap_schools) >= 0.5 * p.schools then 'mostly'
             else 'some' end as specialist_band,
        case when p.las_spanned <= 1 then 'single_la' when p.regions_spanned <= 1 then 'single_region'
             else 'multi_region' end as geographic_spread,
        coalesce(p.main_region, 'Unknown') as main_region,
        p.fsm_percent_pupil_weighted,
        case when p.fsm_percent_pupil_weighted is null then 'unknown'
             when p.fsm_percent_pupil_weighted < c.low then 'lower'
             when p.fsm_percent_pupil_weighted < c.high then 'middle'
             else 'higher' end as disadvantage_band,
        coalesce(t.schools_with_tenure, 0) as schools_with_tenure,
        coalesce(t.schools_eligible_dfe, 0) as schools_eligible_dfe,
        coalesce(t.schools_unknown_join_date, 0) as schools_unknown_join_date,
        coalesce(t.schools_with_tenure, 0) >= s.min_schools as eligible_project,
        coalesce(t.schools_eligible_dfe, 0) >= s.min_schools as eligible_dfe,
        case s.ruleset when 'dfe' then eligible_dfe else eligible_project end as eligible,
        s.ruleset as eligibility_ruleset
    from patterns.group_profile p
    cross join cuts c
    cross join settings s
    left join tenure t on t.group_key = p.group_key
)
select *,
       {'group_kind': group_kind, 'size_band': size_band, 'phase_mix': phase_mix, 'region': main_region} as stratum,
       settings_config_id() as config_id
from banded
