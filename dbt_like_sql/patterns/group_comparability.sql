-- Strata for fair comparison: one row per group in patterns.group_profile. Key: group_key.
-- size_band on open schools: 1, 2-5, 6-10, 11-25, 26+. phase_mix: primary (at least 80%
-- primary or nursery), secondary (at least 80% secondary or all-through), specialist (at
-- least half special or alternative provision), else mixed. specialist_share: special and
-- AP schools / schools; specialist_band: none, some, mostly (at least half).
-- geographic_spread: single_la, single_region, multi_region. disadvantage_band: lower,
-- middle, higher third of groups by pupil-weighted FSM % (tertiles over all groups with a
-- figure; unknown without one). Eligibility for group-level comparison, two rulesets side by
-- side: eligible_project = at least eligible_min_schools schools of any kind with at least
-- eligible_min_years_in_group years in the group (in days; an unknown join date counts as long
-- standing); eligible_dfe = DfE's MAT-measure rule: that many mainstream schools with that many
-- whole academic years in the group, counted from the first 1 September on or after joining to
-- the 1 September that starts the academic year of the as-at date, schools with an unknown join
-- date left out (schools_unknown_join_date says how many). eligible is the one
-- eligibility_ruleset selects (0 project, 1 dfe), named in eligibility_ruleset. stratum: group
-- kind x size band x phase mix x main region, the sampling strata.
with settings as (
    select max(value) filter (where key = 'eligible_min_schools') as min_schools,
           max(value) filter (where key = 'eligible_min_years_in_group') as min_years,
           case max(value) filter (where key = 'eligibility_ruleset') when 1 then 'dfe' else 'project' end as ruleset
    from meta.settings
),
academic as (
    -- whole academic years in the group at the start of the current academic year, and whether DfE
    -- counts the school at all
    select e.group_key, e.urn, e.years_in_group, counted_by_dfe(e.is_mainstream, e.phase_group) as counted_by_dfe,
           e.joined_on,
           whole_academic_years(e.joined_on, e.as_at) as full_academic_years
    from patterns.school_evidence e where e.view = 'all_current'
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
        p.group_key, p.group_name, p.group_kind, p.is_responsible_body, p.schools, p.pupils,
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
       concat_ws(' | ', group_kind, size_band, phase_mix, main_region) as stratum,
       (select any_value(config_id) from meta.settings) as config_id
from banded
